/**
 * Frames into a Web `ReadableStream`, the body of a fetch `Response`: the
 * consumer pulls, so "full" means its queue is at the high-water mark, and a
 * cancelled stream (the client went away) reads as closed.
 */
import type { FrameTransport } from '../core/sse-writer.js';

const nextTick: ((callback: () => void) => void) | undefined =
  typeof globalThis.process?.nextTick === 'function' ? (callback) => globalThis.process.nextTick(callback) : undefined;

/** Chunks the consumer may hold before the producer waits. */
const HIGH_WATER_MARK = 16;

export class WebStreamTransport implements FrameTransport {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly encoder = new TextEncoder();
  private cancelled = false;
  private ended = false;
  private waiting: (() => void)[] = [];

  /** `onCancel` runs when the consumer cancels the body, which is how a server reports a client that went away. */
  constructor(onCancel: () => void) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.wake(),
        cancel: () => {
          this.cancelled = true;
          this.wake();
          onCancel();
        },
      },
      { highWaterMark: HIGH_WATER_MARK },
    );
  }

  get closed(): boolean {
    return this.cancelled || this.ended;
  }

  get full(): boolean {
    const room = this.controller.desiredSize;
    return room !== null && room <= 0;
  }

  write(text: string): void {
    if (!this.closed) this.controller.enqueue(this.encoder.encode(text));
  }

  drained(): Promise<void> {
    if (this.closed || !this.full) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  end(): void {
    if (this.closed) return;
    this.ended = true;
    this.controller.close();
    this.wake();
  }

  /**
   * The end of the current burst, without a timer: `process.nextTick` where
   * the host has it (Node, Bun, Deno), which runs once the pending promise
   * callbacks are done, so events produced together go out as one chunk;
   * else a microtask.
   */
  schedule(flush: () => void): void {
    if (nextTick) nextTick(flush);
    else queueMicrotask(flush);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
