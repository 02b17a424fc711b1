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
import { Wakeup } from './event-queue.js';
import { cloneJson } from '../clone.js';

/** What `streamAgentResponse` reads from a run: a `StreamedRunResult` fits. */
export type StreamedRun = AsyncIterable<RunStreamEvent> & { readonly completed?: Promise<void> };

export interface StreamAgentResponseOptions {
  converter?: ResponseStreamConverter;
}

const defaultConverter = new ResponseStreamConverter();

type RunOutcome = { ok: true; result: IteratorResult<RunStreamEvent> } | { ok: false; error: unknown };

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
  // One wake-up for the three sources: a tool queued events, the run produced one, the signal aborted.
  const wakeup = new Wakeup();
  ctx.events.onPush(wakeup.notify);
  signal?.addEventListener('abort', wakeup.notify, { once: true });
  let outcome: RunOutcome | undefined;
  let reading = false;
  let finished = false;

  try {
    try {
      while (true) {
        // Tool events first: they were queued before the run event we may hold.
        for (const event of ctx.events.takeAll()) yield* translator.fromContext(event);
        if (signal?.aborted) return;
        if (outcome) {
          const current = outcome;
          outcome = undefined;
          if (!current.ok) throw current.error;
          if (current.result.done) break;
          yield* await translator.fromRun(current.result.value);
          continue;
        }
        if (!reading) {
          reading = true;
          iterator.next().then(
            (result) => ((outcome = { ok: true, result }), (reading = false), wakeup.notify()),
            (error: unknown) => ((outcome = { ok: false, error }), (reading = false), wakeup.notify()),
          );
        }
        await wakeup.wait();
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
      await ctx.store.addThreadItem(ctx.thread.id, cloneJson(ctx.workflowItem), ctx.requestContext);
    }
    const toolCall = translator.clientToolCallItem();
    if (toolCall) yield { type: 'thread.item.done', item: toolCall };
    finished = true;
  } finally {
    ctx.events.onPush(undefined);
    signal?.removeEventListener('abort', wakeup.notify);
    // Stopped early (cancelled, or the consumer went away): cancelling the stream aborts the run.
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}
