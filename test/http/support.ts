/**
 * Test helpers: the ChatKit routes listening on a real port behind either
 * front door (the Fastify plugin, or the fetch handler served by Node's own
 * HTTP through `toNodeListener`), and readers for SSE bodies as they arrive.
 */
import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import chatkit, { type ChatKitHttpOptions, type ChatKitObserver, type ChatKitPluginOptions } from '../../src/http/index.js';
import { createChatKitHandler, toNodeListener } from '../../src/http/fetch/index.js';
import type { ThreadStreamEvent } from '../../src/runtime/index.js';

/** The two ways to serve the same HTTP rules. */
export const DOORS = ['fastify', 'fetch'] as const;
export type Door = (typeof DOORS)[number];

export interface Running {
  door: Door;
  /** The Fastify app (only behind the Fastify door). */
  app: FastifyInstance | undefined;
  chatkit: { path: string; uploadPath: string | undefined; observer: ChatKitObserver };
  url: string;
  endpoint: string;
  close(): Promise<void>;
}

export interface StartExtra {
  door?: Door;
  compress?: boolean;
  log?: (line: string) => void;
}

/** Options either door accepts: `verify` and `context` receive a FastifyRequest or a Web Request (`playground`: the Fastify door only). */
export type AnyDoorOptions = ChatKitHttpOptions<any, any> & Pick<ChatKitPluginOptions, 'playground'>;

export async function startApp(options: AnyDoorOptions, extra: StartExtra = {}): Promise<Running> {
  return extra.door === 'fetch' ? startFetch(options, extra) : startFastify(options, extra);
}

/** `startApp` bound to one door, to shadow it inside a `describe.each(DOORS)`. */
export function starterFor(door: Door): typeof startApp {
  return (options, extra = {}) => startApp(options, { ...extra, door });
}

async function startFastify(options: AnyDoorOptions, extra: StartExtra): Promise<Running> {
  const logger = extra.log ? { level: 'info', stream: { write: extra.log } } : false;
  const app = Fastify({ forceCloseConnections: true, logger });
  if (extra.compress) await app.register(compress, { global: true, threshold: 0 });
  await app.register(chatkit, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return { door: 'fastify', app, chatkit: app.chatkit, url, endpoint: `${url}${app.chatkit.path}`, close: () => app.close() };
}

async function startFetch(options: AnyDoorOptions, extra: StartExtra): Promise<Running> {
  const log = extra.log;
  const logger = log
    ? {
        error: (obj: object, msg: string) => log(`${JSON.stringify({ level: 50, ...obj, msg })}\n`),
        warn: (obj: object, msg: string) => log(`${JSON.stringify({ level: 40, ...obj, msg })}\n`),
      }
    : { error() {}, warn() {} };
  const handler = createChatKitHandler({ ...options, logger });
  const server: Server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    door: 'fetch',
    app: undefined,
    chatkit: handler,
    url,
    endpoint: `${url}${handler.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request header, whichever door's request it is (a Fastify header record or a Web `Headers`). */
export function headerOf(request: { headers: unknown }, name: string): string | undefined {
  const headers = request.headers as Headers | Record<string, string | string[] | undefined>;
  const value = typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
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
