/**
 * What `ChatKitServer.process()` returns: a JSON body, or a stream of SSE
 * frames. A `StreamingResult` is consumed once, either as bytes (iterate it)
 * or as event objects (`events()`).
 */
import type { ThreadStreamEvent } from './protocol/events.js';
import { sseFrame } from './protocol/serialize.js';

export class NonStreamingResult {
  readonly streaming = false as const;
  /** The response body: one compact JSON object. */
  readonly json: string;
  constructor(json: string) {
    this.json = json;
  }
}

/** Thrown out of the event pipeline when the work before the first event fails. */
export class PreambleError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original), { cause: original });
  }
}

/** Read by the event pipeline: whether a failure before the first event should be thrown. */
export interface PreflightMode {
  preflight: boolean;
}

/** The event pipeline: an async iterator whose `return()` counts as the client going away. */
export interface EventStream extends AsyncIterator<ThreadStreamEvent, undefined> {
  return(): Promise<IteratorResult<ThreadStreamEvent, undefined>>;
  /** Pushes the events to `deliver` instead, `first` (a step already taken) before them (see `StreamingResult.pump`). */
  pump(deliver: EventConsumer, first?: IteratorResult<ThreadStreamEvent, undefined>): Promise<void>;
}

/** Returned by a `pump` consumer whose client went away: the stream is cancelled, as by `return()`. */
export const STOP_STREAM: unique symbol = Symbol('stop the stream');

/** Takes one event; returns a promise to pause until it settles, or `STOP_STREAM`. */
export type EventConsumer = (event: ThreadStreamEvent) => Promise<void> | typeof STOP_STREAM | undefined;

type EventSource = (mode: PreflightMode) => EventStream;

export class StreamingResult implements AsyncIterable<Uint8Array> {
  readonly streaming = true as const;
  private readonly mode: PreflightMode = { preflight: false };
  private readonly generator: EventStream;
  private buffered: IteratorResult<ThreadStreamEvent, undefined> | undefined;
  private prepared = false;
  private consumed = false;

  /** @internal Created by `ChatKitServer.process()`. */
  constructor(source: EventSource) {
    this.generator = source(this.mode);
  }

  /**
   * Runs the request up to its first event before any byte is sent, so that
   * a failure there (an unknown thread, no pending client tool call) can
   * still become an HTTP error status instead of an `error` event.
   * Rethrows that failure (`NotFoundError`, `InvalidStateError`, ...).
   * Optional: iterating without it turns such failures into an `error` event.
   */
  async prepare(): Promise<void> {
    if (this.prepared || this.consumed) return;
    this.prepared = true;
    this.mode.preflight = true;
    try {
      this.buffered = await this.generator.next();
    } catch (error) {
      this.consumed = true;
      throw error instanceof PreambleError ? error.original : error;
    } finally {
      this.mode.preflight = false;
    }
  }

  /**
   * The events as objects, in order. Stopping early (`break`, `return()`)
   * counts as the client going away: the handler is closed and the
   * cancellation rules run.
   */
  events(): AsyncIterableIterator<ThreadStreamEvent> {
    if (this.consumed) throw new Error('This StreamingResult was already consumed');
    this.consumed = true;
    // A hand-written iterator rather than another generator layer: this sits
    // on the per-event hot path.
    const generator = this.generator;
    let buffered = this.buffered;
    this.buffered = undefined;
    const iterator: AsyncIterableIterator<ThreadStreamEvent> = {
      next: () => {
        if (buffered) {
          const first = buffered;
          buffered = undefined;
          return Promise.resolve(first);
        }
        return generator.next();
      },
      return: async () => {
        buffered = undefined;
        await generator.return();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * @internal The events pushed to `deliver` as they come, for the HTTP front
   * doors: no promise per event, which `events()` costs its reader. Resolves
   * when the stream is over; rejects when `deliver` throws (the stream is
   * cancelled first).
   */
  async pump(deliver: EventConsumer): Promise<void> {
    if (this.consumed) throw new Error('This StreamingResult was already consumed');
    this.consumed = true;
    const first = this.buffered;
    this.buffered = undefined;
    return this.generator.pump(deliver, first);
  }

  /** The SSE frames (`data: <json>\n\n`), one chunk per event. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    const events = this.events();
    const iterator: AsyncIterableIterator<Uint8Array> = {
      next: () =>
        events.next().then((step) => (step.done ? { done: true, value: undefined } : { done: false, value: sseFrame(step.value) })),
      return: async () => {
        await events.return!();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
