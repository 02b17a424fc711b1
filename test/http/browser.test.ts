/**
 * The plugin, and the fetch handler as a Next.js route, seen from a real browser (Debian's Chromium through
 * playwright-core): a page on one origin calls the ChatKit endpoint on
 * another with the custom `fetch` the generated frontend snippet uses
 * (bearer token header), the way ChatKit.js does. This is where CORS and
 * buffering mistakes show up for users, so assert what the browser itself
 * allows and when the frames arrive.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ChatKitServer, MemoryStore, now, type HandlerOptions, type ThreadMetadata, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { eventually, startApp, type Running } from './support.js';
import { buildNextApp, startNextApp, type RunningNext } from './hosts/next-app-runner.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Ctx = { userId: string | undefined };

/** Streams three deltas, waiting for the test to release the last one. */
class SlowServer extends ChatKitServer<Ctx> {
  release: (() => void) | undefined;
  async *respond(thread: ThreadMetadata, _input: unknown, context: Ctx, { signal }: HandlerOptions): AsyncGenerator<ThreadStreamEvent> {
    const id = this.store.generateItemId('message', thread, context);
    const base = { id, thread_id: thread.id, created_at: now(), type: 'assistant_message' as const };
    yield { type: 'thread.item.added', item: { ...base, content: [] } };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hello' } };
    await new Promise<void>((resolve) => {
      this.release = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    yield { type: 'thread.item.done', item: { ...base, content: [{ annotations: [], text: `Hello ${context.userId}`, type: 'output_text' }] } };
  }
}

let browser: Browser;
let page: Page;
let pageServer: Server;
let pageOrigin: string;
let backend: Running;
let server: SlowServer;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is needed for the browser tests and was not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  // The page's own origin: a blank page the test drives with page.evaluate.
  pageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>host page</title>'));
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const address = pageServer.address();
  pageOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  server = new SlowServer(new MemoryStore<Ctx>({ ownerOf: (ctx) => ctx.userId }));
  server.logger = { error() {}, warn() {} };
  backend = await startApp({
    server: server as never,
    cors: { origins: [pageOrigin], allowedHeaders: ['authorization', 'content-type'] },
    auth: { verify: async (request) => (request.headers.authorization === 'Bearer good-token' ? { userId: 'ada' } : null) },
  });
  // `localhost` is a different origin from 127.0.0.1 for the browser: used as the origin nobody allowed.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.goto(pageOrigin);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await backend?.close();
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
});

/** What the page sees when it POSTs through a ChatKit-style custom fetch. */
interface PageResult {
  ok: boolean;
  status?: number;
  error?: string;
  body?: string;
  frames?: string[];
}

function callFromPage(endpoint: string, token: string | null, body: unknown, readFrames: number, from: Page = page): Promise<PageResult> {
  return from.evaluate(
    async ({ endpoint, token, body, readFrames }) => {
      // The generated frontend's custom fetch: adds the bearer token, nothing else.
      const chatkitFetch = (input: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        if (token) headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      };
      try {
        const response = await chatkitFetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
          return { ok: true, status: response.status, body: await response.text() };
        }
        // Read only the first frames, while the server is still holding the rest back.
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        const frames: string[] = [];
        while (frames.length < readFrames) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            frames.push(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
        void reader.cancel();
        return { ok: true, status: response.status, frames };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { endpoint, token, body, readFrames },
  );
}

const create = { type: 'threads.create', params: { input: { content: [{ type: 'input_text', text: 'hi' }], attachments: [], inference_options: {} } } };

describe('a cross-origin page using a custom fetch with a bearer token', () => {
  test('streams: the first frames arrive while the server still holds the last one back', async () => {
    const result = await callFromPage(backend.endpoint, 'good-token', create, 5);
    expect(result.ok).toBe(true);
    expect(result.status).toBe(200);
    const types = result.frames!.map((frame) => JSON.parse(frame.replace(/^data: /, '')).type);
    expect(types).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'thread.item.updated']);
    // The handler is still waiting: nothing was buffered until the end.
    // It reaches that wait in its own turn (streams take turns on the event loop).
    const release = await eventually(() => server.release, 'the handler holds the last event back');
    release();
  });

  test('a 401 is readable by the page (CORS headers on errors), so the real error is not hidden', async () => {
    const result = await callFromPage(backend.endpoint, 'forged', create, 1);
    expect(result).toMatchObject({ ok: true, status: 401 });
    expect(JSON.parse(result.body!)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  test('a 400 names the bad field, readable cross-origin', async () => {
    const result = await callFromPage(backend.endpoint, 'good-token', { type: 'threads.create', params: { input: { content: 'x', attachments: [], inference_options: {} } } }, 1);
    expect(result).toMatchObject({ ok: true, status: 400 });
    expect(JSON.parse(result.body!).error.message).toMatch(/params\.input\.content/);
  });

  test('a page on an origin that is not allowed is blocked by the browser itself', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(pageOrigin.replace('127.0.0.1', 'localhost'));
      const result = await other.evaluate(async (endpoint) => {
        try {
          await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer good-token' }, body: '{}' });
          return 'allowed';
        } catch (error) {
          return String(error);
        }
      }, backend.endpoint);
      expect(result).toMatch(/TypeError: Failed to fetch/);
    } finally {
      await other.close();
    }
  });
});

describe('a page served by Next.js calling its own route handler (same origin, no CORS)', () => {
  let next: RunningNext;
  let nextPage: Page;
  let uploads: string;

  beforeAll(async () => {
    uploads = await mkdtemp(join(tmpdir(), 'chatkit-next-browser-'));
    await buildNextApp();
    next = await startNextApp(uploads);
    nextPage = await browser.newPage();
    await nextPage.goto(next.origin);
  }, 600_000);

  afterAll(async () => {
    await nextPage?.close();
    await next?.close();
    await rm(uploads, { recursive: true, force: true });
  });

  test('streams: the first frames arrive while the route still holds the last one back', async () => {
    expect(await nextPage.textContent('main')).toBe('host page');
    const result = await callFromPage('/api/chatkit', 'user-ada', create, 5, nextPage);
    expect(result).toMatchObject({ ok: true, status: 200 });
    const types = result.frames!.map((frame) => JSON.parse(frame.replace(/^data: /, '')).type);
    expect(types).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'thread.item.updated']);
    // The reply is still held back on the server: the frames were not buffered until the end.
    // It reaches that wait in its own turn (streams take turns on the event loop), so ask until it has.
    const released = await eventually(async () => {
      const { released } = (await (await fetch(`${next.origin}/api/test-control`, { method: 'POST' })).json()) as { released: number };
      return released === 1 ? released : undefined;
    }, 'the route holds the last event back');
    expect(released).toBe(1);
  });

  test('a 401 from the route reaches the page as JSON', async () => {
    const result = await callFromPage('/api/chatkit', null, create, 1, nextPage);
    expect(result).toMatchObject({ ok: true, status: 401 });
    expect(JSON.parse(result.body!).error.code).toBe('unauthorized');
  });
});
