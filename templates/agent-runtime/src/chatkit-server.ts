/**
 * The ChatKit protocol layer, handing each turn to the Agents SDK: load the
 * conversation, run the agent with streaming, and let `streamAgentResponse`
 * turn the run into ChatKit events. Widgets are not produced here: tools
 * stream them through the agent context (see src/tools/).
 */
import { run } from '@openai/agents';
import { AgentContext, simpleToAgentInput, streamAgentResponse } from 'create-chatkit-backend/agents';
import {
  ChatKitServer,
  type AttachmentStore,
  type HandlerOptions,
  type Store,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
} from 'create-chatkit-backend/runtime';
import { createAgent } from './agent.js';
import type { RequestContext } from './context.js';
import type { ChatModel } from './model.js';

/** How many earlier items the agent sees; older ones are left out to bound the prompt. */
const HISTORY_LIMIT = 40;

export class AppChatKitServer extends ChatKitServer<RequestContext> {
  private readonly agent: ReturnType<typeof createAgent>;

  constructor(store: Store<RequestContext>, attachmentStore: AttachmentStore<RequestContext>, model: ChatModel) {
    super(store, attachmentStore);
    this.agent = createAgent(model);
  }

  override async *respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: RequestContext,
    { signal, logger }: HandlerOptions,
  ): AsyncGenerator<ThreadStreamEvent> {
    // `logger` (this request's): where tools report their exceptions (reportToolError in the tools).
    const agentContext = new AgentContext<RequestContext>({ thread, store: this.store, requestContext: context, signal, logger });

    // The whole recent conversation (including client tool outputs when
    // `input` is null), oldest first, in the Agents SDK's input format.
    const recent = await this.store.loadThreadItems(thread.id, null, HISTORY_LIMIT, 'desc', context);
    const agentInput = await simpleToAgentInput(recent.data.reverse());

    // `stream: true`: text reaches the browser token by token.
    const result = await run(this.agent, agentInput, { context: agentContext, stream: true, signal });
    yield* streamAgentResponse(agentContext, result);

    if (input !== null && !thread.title) {
      thread.title = input.content.map((part) => part.text).join('').slice(0, 60) || 'New chat';
    }
  }
}
