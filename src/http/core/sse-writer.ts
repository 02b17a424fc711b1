/**
 * The SSE rules both front doors share: the headers that stop proxies and
 * compression from buffering, `data: <json>\n\n` frames written as soon as
 * they exist (a burst produced together goes out as one chunk), optional
 * `: ping` comments after a quiet period, and backpressure that also ends
 * when the client goes away. Where the bytes go is a `FrameTransport`: a
 * Node response or a `ReadableStream`.
 */
import { toJSON } from '../../runtime/protocol/serialize.js';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

const PING = ': ping\n\n';
/** A burst longer than this (in UTF-16 units) is written at once instead of waiting for the end of the burst. */
const MAX_BATCH_LENGTH = 64 * 1024;

/** One SSE frame as text, byte for byte what `sseFrame` encodes: `data: <json>\n\n`. */
export function sseText(event: unknown): string {
  return `data: ${toJSON(event)}\n\n`;
}

/** Where frames go. */
export interface FrameTransport {
  /** The client went away, or the stream ended. */
  readonly closed: boolean;
  /** The consumer holds as much as it should: wait for `drained()` before producing more. */
  readonly full: boolean;
  write(text: string): void;
  /** Resolves when the consumer wants more, or when the client is gone. */
  drained(): Promise<void>;
  end(): void;
  /** Runs `flush` once the current burst of work is over (never on a timer). */
  schedule(flush: () => void): void;
}

/** What the HTTP rules write a stream to. */
export interface FrameSink {
  readonly closed: boolean;
  /** Queues one frame; returns a promise only when the consumer is full: await it before producing more. */
  write(frame: string): Promise<void> | undefined;
  end(): void;
}

export class SseWriter implements FrameSink {
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastWrite = 0;
  /** Frames of the current burst, kept as text so they are encoded once, not once per frame. */
  private batch = '';
  private flushScheduled = false;
  private readonly flushBatch = () => this.flush();

  constructor(
    private readonly transport: FrameTransport,
    heartbeatMs = 0,
  ) {
    if (heartbeatMs > 0) {
      this.heartbeat = setInterval(() => {
        // Only when the stream has been quiet for a whole period.
        if (Date.now() - this.lastWrite >= heartbeatMs && !this.closed) transport.write(PING);
      }, heartbeatMs);
      (this.heartbeat as { unref?: () => void }).unref?.();
    }
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  write(frame: string): Promise<void> | undefined {
    if (this.transport.closed) return undefined;
    if (this.heartbeat) this.lastWrite = Date.now();
    this.batch += frame;
    if (this.batch.length >= MAX_BATCH_LENGTH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.transport.schedule(this.flushBatch);
    }
    return this.transport.full ? this.transport.drained() : undefined;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch === '') return;
    const text = this.batch;
    this.batch = '';
    if (!this.transport.closed) this.transport.write(text);
  }

  end(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.flush();
    if (!this.transport.closed) this.transport.end();
  }
}
