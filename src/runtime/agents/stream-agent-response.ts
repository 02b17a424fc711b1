/**
 * `streamAgentResponse(agentContext, streamedRun)`: a streamed Agents SDK run
 * as ChatKit thread events, merged in arrival order with what tools stream
 * through the `AgentContext` (spec 7.2).
 *
 *   async *respond(thread, input, context, { signal }) {
 *     const agentContext = new AgentContext({ thread, store: this.store, requestContext: context, signal });
 *     const result = await run(agent, await simpleToAgentInput(items), { context: agentContext, stream: true, signal });
 *     yield* streamAgentResponse(agentContext, result);
 *   }
 *
 * - Guardrail trips remove every item this run put in the thread
 *   (`thread.item.removed`), then the error is rethrown.
 * - A workflow still open at the end is saved as is, so the next turn
 *   continues it; a client tool call ends the turn as a pending item.
 * - When the context's signal aborts, the generator stops and cancels the run.
 */
import { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered, type RunStreamEvent } from '@openai/agents';
import type { ThreadStreamEvent } from '../protocol/events.js';
import type { AgentContext } from './context.js';
import { ResponseStreamConverter } from './response-stream-converter.js';
import { RunTranslator } from './run-translator.js';

/** What `streamAgentResponse` reads from a run: a `StreamedRunResult` fits. */
export type StreamedRun = AsyncIterable<RunStreamEvent> & { readonly completed?: Promise<void> };

export interface StreamAgentResponseOptions {
  converter?: ResponseStreamConverter;
}

const defaultConverter = new ResponseStreamConverter();

type Next =
  | { kind: 'run'; result: IteratorResult<RunStreamEvent> }
  | { kind: 'failed'; error: unknown }
  | { kind: 'queued' }
  | { kind: 'aborted' };

export async function* streamAgentResponse<TContext>(
  ctx: AgentContext<TContext>,
  run: StreamedRun,
  options: StreamAgentResponseOptions = {},
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const translator = new RunTranslator(ctx, options.converter ?? defaultConverter);
  // `completed` rejects with the same error the iterator throws; we read it from the iterator.
  run.completed?.catch(() => {});

  const recent = await ctx.store.loadThreadItems(ctx.thread.id, null, 2, 'desc', ctx.requestContext);
  translator.resumeWorkflow(recent.data);

  const iterator = run[Symbol.asyncIterator]();
  const signal = ctx.signal;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<Next>((resolve) => {
    onAbort = () => resolve({ kind: 'aborted' });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  let pendingRun: Promise<Next> | undefined;
  let finished = false;

  try {
    try {
      while (true) {
        // Tool events first: they were queued before we look at the run again.
        for (const event of ctx.events.takeAll()) yield* translator.fromContext(event);
        pendingRun ??= iterator.next().then(
          (result): Next => ({ kind: 'run', result }),
          (error: unknown): Next => ({ kind: 'failed', error }),
        );
        const next = await Promise.race([pendingRun, ctx.events.whenNonEmpty().then((): Next => ({ kind: 'queued' })), aborted]);
        if (next.kind === 'aborted') return;
        if (next.kind === 'queued') continue;
        pendingRun = undefined;
        if (next.kind === 'failed') throw next.error;
        if (next.result.done) break;
        yield* await translator.fromRun(next.result.value);
      }
      await run.completed;
    } catch (error) {
      if (error instanceof InputGuardrailTripwireTriggered || error instanceof OutputGuardrailTripwireTriggered) {
        yield* translator.rollback();
        ctx.events.takeAll();
      }
      throw error;
    }

    for (const event of ctx.events.takeAll()) yield* translator.fromContext(event);

    // Still open (e.g. the run stopped at a client tool): saved without `done`, continued next turn.
    if (ctx.workflowItem) {
      await ctx.store.addThreadItem(ctx.thread.id, structuredClone(ctx.workflowItem), ctx.requestContext);
    }
    const toolCall = translator.clientToolCallItem();
    if (toolCall) yield { type: 'thread.item.done', item: toolCall };
    finished = true;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // Stopped early (cancelled, or the consumer went away): cancelling the stream aborts the run.
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}
