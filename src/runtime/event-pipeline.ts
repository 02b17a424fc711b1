/**
 * The event pipeline of one streaming request, as in the reference's
 * `_process_events`: the planned first events, `stream_options`, then the
 * handler's events with the persistence rules (`done` → addThreadItem,
 * `replaced` → saveItem, `removed` → deleteThreadItem, `added`/`updated`
 * tracked as pending), hidden items swallowed, `thread.updated` after any
 * event that changed the thread, one `error` event for a handler failure,
 * and cancellation when the signal aborts or the consumer stops.
 *
 * Written as a hand-made async iterator rather than an async generator:
 * every event passes through here, and a generator layer costs several
 * promise hops per event where this costs two.
 */
import type { ErrorEvent, StreamOptions, ThreadStreamEvent } from './protocol/events.js';
import { isHiddenItem, type ThreadItem, type ThreadMetadata } from './protocol/items.js';
import { deepEqual } from './deep-equal.js';
import { applyToPending } from './pending-items.js';
import { PreambleError, STOP_STREAM, type EventConsumer, type PreflightMode } from './results.js';
import type { Store } from './store.js';
import { toMetadata, toThreadResponse } from './thread-response.js';
import { loggableError } from './redact.js';
import { cloneJson } from './clone.js';
import { assignThread, mergeThread } from './thread-merge.js';
import { creationMoment, markCreated } from './creation-order.js';
import { inSlice, sliceOver, waitForTurn } from './event-loop-slice.js';

/** What a streaming request does before its handler: the events to send first, then the handler to run. */
export interface StreamPlan {
  prefix: ThreadStreamEvent[];
  thread: ThreadMetadata;
  /** Sent as one `error` event after `prefix` (a failure after the first event). */
  failure?: unknown;
  handler?: () => AsyncIterable<ThreadStreamEvent>;
}

/** The parts of the server the pipeline calls. */
export interface PipelineHost<TContext> {
  store: Store<TContext>;
  logger: { error(obj: unknown, message?: string): void };
  plan(signal: AbortSignal): Promise<StreamPlan>;
  streamOptions(thread: ThreadMetadata): StreamOptions;
  handleStreamCancelled(thread: ThreadMetadata, pendingItems: ThreadItem[]): Promise<void>;
  /** The `error` event for a failure inside the handler. */
  handlerError(error: unknown): ErrorEvent;
  /** The `error` event for a failure before the handler ran. */
  preambleError(error: unknown): ErrorEvent;
}

/** The abort reason once a stream is over; shared, because `abort()` without one builds a DOMException per stream. */
const STREAM_ENDED = Object.freeze(new Error('The ChatKit stream ended'));

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

type Step = IteratorResult<ThreadStreamEvent, undefined>;

/** Receives one step of the stream: `next()` resolves its promise with it, `pump` handles it at once. */
type Settle = (step: Step | Promise<Step>) => void;

type Phase = 'start' | 'handler' | 'end' | 'done';

/** The fields of a thread a handler may change (its `items` never change during a stream). */
const STATE_FIELDS = ['id', 'created_at', 'title', 'status', 'allowed_image_domains', 'metadata'] as const;

/** Those fields as last seen. */
type ThreadState = Pick<ThreadMetadata, (typeof STATE_FIELDS)[number]>;

function threadState(thread: ThreadMetadata): ThreadState {
  const state: Partial<Record<keyof ThreadState, unknown>> = {};
  for (const field of STATE_FIELDS) state[field] = cloneJson(thread[field]);
  return state as ThreadState;
}

/** Checked after every event: the STATE_FIELDS written out (a loop over them measured slower here), nothing built. */
function sameState(thread: ThreadMetadata, state: ThreadState): boolean {
  return (
    deepEqual(thread.id, state.id) &&
    deepEqual(thread.created_at, state.created_at) &&
    deepEqual(thread.title, state.title) &&
    deepEqual(thread.status, state.status) &&
    deepEqual(thread.allowed_image_domains, state.allowed_image_domains) &&
    deepEqual(thread.metadata, state.metadata)
  );
}

export class EventPipeline<TContext> implements AsyncIterableIterator<ThreadStreamEvent, undefined> {
  private phase: Phase = 'start';
  /** Events ready to hand out before pulling anything else. */
  private readonly ready: ThreadStreamEvent[] = [];
  private readyIndex = 0;
  private readonly controller = new AbortController();
  private readonly signal = this.controller.signal;
  private readonly detachOuter: () => void;
  private thread: ThreadMetadata | undefined;
  private iterator: AsyncIterator<ThreadStreamEvent> | undefined;
  private handlerStarted = false;
  private snapshot: ThreadState | undefined;
  /** The thread as the stream last read or saved it: the base of the merge in `saveThread`. */
  private saved: ThreadMetadata | undefined;
  private readonly pending = new Map<string, ThreadItem>();
  /** When each item this stream streamed was created, by id (see `creation-order.ts`). */
  private readonly moments = new Map<string, { createdAt: string; moment: string }>();
  /** Settles the `next()` the consumer is waiting on; the abort listener uses it to cancel at once. */
  private resolvePending: Settle | undefined;
  /** Whether the handler has had its first turn (see `pull`). */
  private running = false;

  constructor(
    private readonly host: PipelineHost<TContext>,
    /** The request context every store call receives. */
    private readonly context: TContext,
    private readonly mode: PreflightMode,
    outerSignal: AbortSignal | undefined,
  ) {
    const forward = () => this.controller.abort(outerSignal?.reason);
    if (outerSignal?.aborted) forward();
    else outerSignal?.addEventListener('abort', forward, { once: true });
    this.detachOuter = () => outerSignal?.removeEventListener('abort', forward);
    this.signal.addEventListener('abort', () => this.takePending()?.(this.cancel()), { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step> {
    return new Promise<Step>((resolve) => this.step(resolve));
  }

  /**
   * Hands every event to `deliver` as it comes, without a promise per event
   * (what `next()` costs): the front doors stream this way. `deliver`
   * returns a promise to pause until it settles (backpressure), or
   * `STOP_STREAM` when the client is gone, which counts as `return()`.
   * `first`: a step already taken (by `StreamingResult.prepare()`), handed
   * out before any other. Resolves once the stream is over; rejects when
   * `deliver` throws.
   */
  pump(deliver: EventConsumer, first?: Step): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Runs from promise callbacks too, where a throw would be lost and the pump never settle.
      const next = () => {
        try {
          this.step(onStep);
        } catch (error) {
          reject(error);
        }
      };
      const onStep: Settle = (step) => {
        if (step instanceof Promise) return void step.then(onStep, reject);
        if (step.done) return resolve();
        let answer: Promise<void> | typeof STOP_STREAM | undefined;
        try {
          answer = deliver(step.value);
        } catch (error) {
          return void this.return().then(() => reject(error), reject);
        }
        if (answer === STOP_STREAM) void this.return().then(() => resolve(), reject);
        else if (answer) answer.then(next, reject);
        else next();
      };
      if (first) onStep(first);
      else next();
    });
  }

  /** The next step, to `settle`: synchronously when it is ready (what `pump` relies on), else once it is. */
  private step(settle: Settle): void {
    if (this.readyIndex < this.ready.length) return settle(this.takeReady());
    switch (this.phase) {
      case 'start':
        return settle(this.start());
      case 'handler':
        return this.pull(settle);
      case 'end':
        return settle(this.end());
      case 'done':
        return settle(DONE);
    }
  }

  private takeReady(): Step {
    const value = this.ready[this.readyIndex++]!;
    if (this.readyIndex === this.ready.length) {
      this.ready.length = 0;
      this.readyIndex = 0;
    }
    return { done: false, value };
  }

  /** The consumer stopped reading: a cancellation once the handler has started. */
  async return(): Promise<Step> {
    if (this.phase === 'handler' && this.handlerStarted) await this.cancel();
    else this.finish();
    return DONE;
  }

  // ------------------------------------------------------------------ phases

  private async start(): Promise<Step> {
    // A burst of new streams takes turns with the streams already running (see event-loop-slice.ts).
    const turn = waitForTurn();
    if (turn) await turn;
    let plan: StreamPlan;
    try {
      plan = await this.host.plan(this.signal);
    } catch (error) {
      if (this.mode.preflight) {
        this.finish();
        throw new PreambleError(error);
      }
      this.ready.push(this.host.preambleError(error));
      this.finish();
      return this.next();
    }
    this.ready.push(...plan.prefix);
    if (plan.failure !== undefined) {
      this.ready.push(this.host.preambleError(plan.failure));
      this.finish();
    } else if (!plan.handler) {
      this.finish();
    } else {
      const thread = plan.thread;
      this.thread = thread;
      this.ready.push({ type: 'stream_options', stream_options: this.host.streamOptions(thread) });
      this.snapshot = threadState(thread);
      this.saved = cloneJson(toMetadata(thread));
      this.phase = 'handler';
      try {
        this.iterator = plan.handler()[Symbol.asyncIterator]();
      } catch (error) {
        // A handler that throws when called fails like one that throws when read.
        this.iterator = failing(error);
      }
    }
    return this.next();
  }

  /** The handler's next event, to `settle`: the per-event hot path. */
  private pull(settle: Settle): void {
    this.handlerStarted = true;
    if (this.signal.aborted) return settle(this.cancel());
    // Kept where the abort listener can settle it, and the callbacks pre-bound.
    this.resolvePending = settle;
    // The first pull waits behind any streams already waiting for the event
    // loop; after that a stream goes on while the slice lasts (its frames then
    // go out in one write) and, once it is spent, takes its place at the back
    // of the queue (event-loop-slice.ts).
    if (this.running && !sliceOver()) this.pullHandler();
    else inSlice(this.takeTurn);
  }

  private readonly takeTurn = (): void => {
    this.running = true;
    this.pullHandler();
  };

  /** Asks the handler for its next event, unless the stream was cancelled while it waited for its turn. */
  private readonly pullHandler = (): void => {
    if (!this.resolvePending) return;
    let step: Promise<IteratorResult<ThreadStreamEvent>>;
    try {
      step = this.iterator!.next();
    } catch (error) {
      // A hand-written iterator may throw instead of rejecting.
      return this.onHandlerFailure(error);
    }
    step.then(this.onHandlerStep, this.onHandlerFailure);
  };

  private readonly onHandlerStep = (step: IteratorResult<ThreadStreamEvent>): void => {
    const resolve = this.takePending();
    if (!resolve) return; // cancelled while the handler was producing this
    let result: Step | Promise<Step>;
    try {
      if (step.done) {
        this.phase = 'end';
        result = this.end();
      } else {
        result = this.accept(step.value);
      }
    } catch (error) {
      result = this.fail(error);
    }
    resolve(result instanceof Promise ? result.catch((error: unknown) => this.fail(error)) : result);
  };

  private readonly onHandlerFailure = (error: unknown): void => {
    const resolve = this.takePending();
    if (resolve) resolve(this.fail(error));
  };

  private takePending(): Settle | undefined {
    const resolve = this.resolvePending;
    this.resolvePending = undefined;
    return resolve;
  }

  /** The handler (or a store write for one of its events) failed: one error event, then the end-of-stream thread check, as in the reference. */
  private fail(error: unknown): Promise<Step> {
    if (this.phase === 'done') return this.cancel();
    this.ready.push(this.host.handlerError(error));
    this.phase = 'end';
    return this.next();
  }

  /** Applies the persistence rules to one handler event. */
  private accept(event: ThreadStreamEvent): Step | Promise<Step> {
    const thread = this.thread!;
    const store = this.host.store;
    switch (event.type) {
      case 'thread.item.added':
        this.pending.set(event.item.id, markCreated(cloneJson(event.item), this.createdMoment(event.item)));
        break;
      case 'thread.item.updated':
        applyToPending(this.pending, event);
        break;
      case 'thread.item.done': {
        const item = markCreated(event.item, this.createdMoment(event.item));
        return this.persist(store.addThreadItem(thread.id, item, this.context), event.item.id, event);
      }
      case 'thread.item.replaced': {
        const item = markCreated(event.item, this.createdMoment(event.item));
        return this.persist(store.saveItem(thread.id, item, this.context), event.item.id, event);
      }
      case 'thread.item.removed':
        return this.persist(store.deleteThreadItem(thread.id, event.item_id, this.context), event.item_id, event);
    }
    return this.emit(event);
  }

  /**
   * When the item was created, for ordering items of the same millisecond:
   * the first time this stream saw it with this `created_at` (an item added
   * then done keeps its place), else now (a new item, or one moved to a new
   * time by `replaced`).
   */
  private createdMoment(item: ThreadItem): string {
    const seen = this.moments.get(item.id);
    if (seen && seen.createdAt === item.created_at) return seen.moment;
    const moment = creationMoment();
    this.moments.set(item.id, { createdAt: item.created_at, moment });
    return moment;
  }

  /** Sends the event only once the store has it: an acknowledged item is never lost. */
  private persist(write: Promise<void>, itemId: string, event: ThreadStreamEvent): Promise<Step> {
    return write.then(() => {
      this.pending.delete(itemId);
      return this.emit(event);
    });
  }

  /** Hands the event out, followed by `thread.updated` when the handler changed the thread. */
  private emit(event: ThreadStreamEvent): Step | Promise<Step> {
    const hidden = event.type === 'thread.item.done' && isHiddenItem(event.item);
    if (!this.changed()) return hidden ? new Promise<Step>((resolve) => this.pull(resolve)) : { done: false, value: event };
    return this.saveThread().then((updated) => {
      if (hidden) return { done: false, value: updated };
      this.ready.push(updated);
      return { done: false, value: event };
    });
  }

  /** The final check once the handler is over. */
  private end(): Promise<Step> {
    this.finish();
    if (!this.thread || !this.changed()) return Promise.resolve(DONE);
    // A failed save (the thread was deleted meanwhile) is the stream's last event, not a thrown read.
    return this.saveThread().then(
      (updated) => ({ done: false, value: updated }),
      (error: unknown) => ({ done: false, value: this.host.handlerError(error) }),
    );
  }

  private changed(): boolean {
    const thread = this.thread!;
    if (sameState(thread, this.snapshot!)) return false;
    this.snapshot = threadState(thread);
    return true;
  }

  /**
   * Saves only what the handler changed since the last save, over whatever
   * the store holds now: a rename or metadata change made meanwhile by
   * another request survives. The handler's thread object is brought up to
   * date with the result, and the event carries it.
   */
  private async saveThread(): Promise<ThreadStreamEvent> {
    const thread = this.thread!;
    const base = this.saved!;
    const mine = cloneJson(toMetadata(thread));
    const saved = await this.host.store.updateThread(thread.id, (stored) => mergeThread(base, mine, stored), this.context);
    this.saved = cloneJson(saved);
    assignThread(thread, saved);
    this.snapshot = threadState(thread);
    return { type: 'thread.updated', thread: toThreadResponse(thread) };
  }

  /** The client went away mid-handler: save what the reference saves, close the handler. */
  private async cancel(): Promise<Step> {
    if (this.phase === 'done' && !this.thread) return DONE;
    const thread = this.thread!;
    const iterator = this.iterator;
    this.thread = undefined;
    this.finish();
    try {
      await this.host.handleStreamCancelled(thread, [...this.pending.values()]);
    } catch (error) {
      this.host.logger.error({ err: loggableError(error) }, 'handleStreamCancelled failed');
    }
    // Close the handler so its `finally` blocks run. Not awaited: a handler
    // stuck in an await only reaches its `finally` once that settles.
    iterator?.return?.()?.catch(() => {});
    return DONE;
  }

  /** No more events: stop listening, and stop any model call still running. */
  private finish(): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.detachOuter();
    if (!this.signal.aborted) this.controller.abort(STREAM_ENDED);
  }
}

// eslint-disable-next-line require-yield
async function* failing(error: unknown): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  throw error;
}
