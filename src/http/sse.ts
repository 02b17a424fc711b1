/**
 * Writes an SSE response straight to the socket: the headers that stop
 * proxies and compression from buffering, each frame as soon as it exists,
 * optional `: ping` comments, and backpressure that also ends when the
 * client goes away.
 */
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { toJSON } from '../runtime/protocol/serialize.js';

export const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

const PING = ': ping\n\n';
/** A burst longer than this (in UTF-16 units) is written at once instead of waiting for the end of the tick. */
const MAX_BATCH_LENGTH = 64 * 1024;

/** One SSE frame as text, byte for byte what `sseFrame` encodes: `data: <json>\n\n`. */
export function sseText(event: unknown): string {
  return `data: ${toJSON(event)}\n\n`;
}

/**
 * Takes the response over from Fastify and starts an SSE stream on it. The
 * headers already set on the reply (CORS, x-request-id) are copied, since a
 * hijacked response no longer goes through Fastify's header handling.
 */
export function startSse(reply: FastifyReply, heartbeatMs: number): SseStream {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value as OutgoingHttpHeaders[string];
  }
  reply.hijack();
  return new SseStream(reply.raw, Object.assign(headers, SSE_HEADERS), heartbeatMs);
}

export class SseStream {
  private readonly res: ServerResponse;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastWrite = 0;
  /**
   * Frames produced in the current tick, written together when it ends.
   * Kept as text so the batch is UTF-8 encoded once, not once per frame.
   */
  private batch = '';
  private flushScheduled = false;
  private readonly flushBatch = () => this.flush();

  constructor(res: ServerResponse, headers: OutgoingHttpHeaders, heartbeatMs = 0) {
    this.res = res;
    // Headers not listed here (content-length, content-encoding) must never be sent on a stream.
    res.writeHead(200, headers);
    if (heartbeatMs > 0) {
      this.heartbeat = setInterval(() => {
        // Only when the stream has been quiet for a whole period.
        if (Date.now() - this.lastWrite >= heartbeatMs && !this.closed) res.write(PING);
      }, heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** The client went away (or the response ended). */
  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /**
   * Queues one frame; it reaches the socket before the event loop moves on
   * (frames produced in the same tick go out as one chunk, so nothing waits
   * on a timer or on later events). Returns a promise only when the socket
   * is full: await it before producing more.
   */
  write(frame: string): Promise<void> | undefined {
    // Writing to a destroyed response would emit an unhandled 'error'.
    if (this.closed) return undefined;
    if (this.heartbeat) this.lastWrite = Date.now();
    this.batch += frame;
    if (this.batch.length >= MAX_BATCH_LENGTH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushBatch);
    }
    return this.res.writableNeedDrain ? drainOrClose(this.res) : undefined;
  }

  /** Writes the queued frames now. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.batch === '') return;
    const text = this.batch;
    this.batch = '';
    if (!this.closed) this.res.write(text, 'utf8');
  }

  end(): void {
    this.stopHeartbeat();
    this.flush();
    if (!this.closed) this.res.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function drainOrClose(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
