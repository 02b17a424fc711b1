/**
 * Test helpers: a Fastify app with the plugin listening on a real port, and
 * readers for SSE bodies as they arrive.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import chatkit, { type ChatKitPluginOptions } from '../../src/http/index.js';
import type { ThreadStreamEvent } from '../../src/runtime/index.js';

export interface Running {
  app: FastifyInstance;
  url: string;
  endpoint: string;
  close(): Promise<void>;
}

export async function startApp(
  options: ChatKitPluginOptions,
  extra: { compress?: boolean; log?: (line: string) => void } = {},
): Promise<Running> {
  const logger = extra.log ? { level: 'info', stream: { write: extra.log } } : false;
  const app = Fastify({ forceCloseConnections: true, logger });
  if (extra.compress) await app.register(compress, { global: true, threshold: 0 });
  await app.register(chatkit, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, endpoint: `${url}${app.chatkit.path}`, close: () => app.close() };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** Reads SSE frames one at a time as they arrive; comments (`: ping`) are reported as `{ comment }`. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  readonly raw: string[] = [];

  constructor(response: Response) {
    if (!response.body) throw new Error('no body');
    this.reader = response.body.getReader();
  }

  /** The next frame, or `undefined` at the end of the stream. */
  async next(): Promise<{ event?: ThreadStreamEvent & Record<string, any>; comment?: string } | undefined> {
    while (true) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.raw.push(frame);
        if (frame.startsWith(':')) return { comment: frame.slice(1).trim() };
        if (!frame.startsWith('data: ') || frame.includes('\n')) throw new Error(`malformed frame ${JSON.stringify(frame)}`);
        return { event: JSON.parse(frame.slice(6)) };
      }
      const { value, done } = await this.reader.read();
      if (done) {
        if (this.buffer !== '') throw new Error(`stream ended mid-frame: ${JSON.stringify(this.buffer)}`);
        return undefined;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Reads events until one matches. */
  async until(predicate: (event: ThreadStreamEvent & Record<string, any>) => boolean): Promise<ThreadStreamEvent & Record<string, any>> {
    while (true) {
      const frame = await this.next();
      if (!frame) throw new Error('stream ended before the expected event');
      if (frame.event && predicate(frame.event)) return frame.event;
    }
  }

  async rest(): Promise<(ThreadStreamEvent & Record<string, any>)[]> {
    const events: (ThreadStreamEvent & Record<string, any>)[] = [];
    for (let frame = await this.next(); frame; frame = await this.next()) if (frame.event) events.push(frame.event);
    return events;
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

export async function readAll(response: Response): Promise<(ThreadStreamEvent & Record<string, any>)[]> {
  return new SseReader(response).rest();
}

/** A promise with its resolver outside, to hold a handler at a known point. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

export function userInput(text: string, attachments: string[] = []) {
  return { content: [{ type: 'input_text', text }], attachments, inference_options: {} };
}

/** Polls a condition the server reaches asynchronously (after a disconnect), without timing assertions. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
