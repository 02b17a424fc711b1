/**
 * A real ChatKitServer built the way an app using this package would build
 * one: `respond` runs an Agents SDK agent with an `AgentContext`, feeds it the
 * thread history through `simpleToAgentInput`, and streams the run with
 * `streamAgentResponse`. Provider failures become ChatKit errors.
 */
import { Agent, InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered, run } from '@openai/agents';
import {
  ChatKitServer,
  MemoryStore,
  type HandlerOptions,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
} from '../../src/runtime/index.js';
import { AgentContext, simpleToAgentInput, streamAgentResponse } from '../../src/runtime/agents/index.js';
import { toChatKitError } from '../../src/runtime/providers/index.js';
import type { Ctx } from './helpers.js';

export class AgentChatServer extends ChatKitServer<Ctx> {
  /** Every event `respond` yielded, per call, before the server's own processing. */
  readonly responded: ThreadStreamEvent[][] = [];
  /** Called with each event as `respond` yields it (tests use it to pace guardrails). */
  onEvent: (event: ThreadStreamEvent) => void = () => {};
  /** The most recent run. */
  lastRun: { readonly cancelled: boolean } | undefined;

  constructor(readonly agent: Agent<AgentContext<Ctx>, any>) {
    super(new MemoryStore<Ctx>());
    this.logger = { error() {}, warn() {} };
  }

  async *respond(thread: ThreadMetadata, _input: UserMessageItem | null, context: Ctx, { signal }: HandlerOptions) {
    const agentContext = new AgentContext<Ctx>({ thread, store: this.store, requestContext: context, signal });
    const recent = await this.store.loadThreadItems(thread.id, null, 20, 'desc', context);
    const input = await simpleToAgentInput(recent.data.reverse());
    const seen: ThreadStreamEvent[] = [];
    this.responded.push(seen);
    try {
      const result = await run(this.agent, input, { context: agentContext, stream: true, signal });
      this.lastRun = result;
      for await (const event of streamAgentResponse(agentContext, result)) {
        seen.push(event);
        this.onEvent(event);
        yield event;
      }
    } catch (error) {
      if (error instanceof InputGuardrailTripwireTriggered || error instanceof OutputGuardrailTripwireTriggered) {
        yield { type: 'error', code: 'custom', message: 'That request is not allowed here.', allow_retry: false } satisfies ThreadStreamEvent;
        return;
      }
      throw toChatKitError(error);
    }
  }
}
