/**
 * The fetch handler mounted in a real Hono app served by @hono/node-server,
 * over real TCP: a streamed threads.create whose first events arrive before
 * the last is produced, a client disconnect that runs the runtime's
 * cancellation, both upload routes, a JSON error, and a rate limit keyed by
 * the client address the app passes on (as docs/host-hono.md shows).
 */
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createChatKitHandler } from '../../../src/http/fetch/index.js';
import { FileAttachmentStore, MemoryStore, type ThreadStreamEvent } from '../../../src/runtime/index.js';
import { ScriptedServer } from '../../support/scripted-server.js';
import { SseReader, eventually, gate, headerOf, post, userInput } from '../support.js';

type Context = { userId: string };
const ALICE = { 'x-user': 'alice' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let server: ServerType;
let origin: string;
let dir: string;
let store: MemoryStore<Context>;
let chatkit: ScriptedServer<Context>;
/** The keys the open endpoint's rate limit counted, in order. */
const rateKeys: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatkit-hono-'));
  store = new MemoryStore<Context>({ ownerOf: (context) => context.userId });
  chatkit = new ScriptedServer<Context>(store, new FileAttachmentStore({ dir }));
  const handler = createChatKitHandler<Context>({
    server: chatkit,
    auth: { verify: (request) => (headerOf(request, 'x-user') ? { userId: headerOf(request, 'x-user')! } : null) },
    logger: { error() {}, warn() {} },
  });
  const app = new Hono();
  app.get('/', (c) => c.text('the rest of the app'));
  // Everything under the ChatKit path (the endpoint, uploads, diagnostics) goes to the handler.
  app.all('/chatkit/api', (c) => handler(c.req.raw));
  app.all('/chatkit/api/*', (c) => handler(c.req.raw));
  // An endpoint without sign-in: its rate limit counts per client address, which
  // only the host knows and passes on.
  const counts = new Map<string, number>();
  const open = createChatKitHandler<Context>({
    server: new ScriptedServer<Context>(new MemoryStore<Context>()),
    path: '/open/api',
    rateLimit: {
      max: 2,
      store: {
        async hit(key) {
          rateKeys.push(key);
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return { count: counts.get(key)!, resetMs: 60_000 };
        },
      },
    },
    logger: { error() {}, warn() {} },
  });
  app.all('/open/api', (c) => open(c.req.raw, { clientIp: getConnInfo(c).remote.address }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      origin = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const added = (threadId: string, id: string): ThreadStreamEvent => ({
  type: 'thread.item.added',
  item: { id, thread_id: threadId, created_at: new Date().toISOString(), type: 'assistant_message', content: [] },
});
const delta = (id: string, text: string): ThreadStreamEvent => ({
  type: 'thread.item.updated',
  item_id: id,
  update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: text },
});

test('a streamed threads.create: the first events arrive before the last is produced', async () => {
  const release = gate();
  let lastProduced = false;
  chatkit.respondWith = async function* (thread) {
    yield added(thread.id, 'msg_a');
    await release.promise;
    yield delta('msg_a', 'late');
    lastProduced = true;
  };
  const response = await post(`${origin}/chatkit/api`, { type: 'threads.create', params: { input: userInput('hi') } }, ALICE);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
  expect(response.headers.get('x-request-id')).toBeTruthy();
  const reader = new SseReader(response);
  expect((await reader.until((event) => event.type === 'thread.item.added')).item.id).toBe('msg_a');
  expect(lastProduced).toBe(false);
  release.open();
  expect((await reader.rest()).map((event) => event.type)).toEqual(['thread.item.updated']);
  expect(lastProduced).toBe(true);
  expect(await (await fetch(origin)).text()).toBe('the rest of the app');
});

test('a client that disconnects mid-stream cancels the handler and the partial answer is saved', async () => {
  const handlerClosed = gate();
  const handlerWaiting = gate();
  let sawAbort = false;
  chatkit.respondWith = async function* (thread, _input, _context, { signal }) {
    try {
      yield added(thread.id, 'msg_partial');
      yield delta('msg_partial', 'Partial');
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      handlerWaiting.open();
      await aborted;
      sawAbort = signal.aborted;
    } finally {
      handlerClosed.open();
    }
  };
  const controller = new AbortController();
  const response = await post(`${origin}/chatkit/api`, { type: 'threads.create', params: { input: userInput('hi') } }, ALICE, controller.signal);
  const reader = new SseReader(response);
  const created = await reader.until((event) => event.type === 'thread.created');
  await reader.until((event) => event.type === 'thread.item.updated');
  // Streams take turns on the event loop: let the handler reach its wait before the client goes.
  await handlerWaiting.promise;
  controller.abort();
  await handlerClosed.promise;
  expect(sawAbort).toBe(true);
  const items = await eventually(async () => {
    const page = await store.loadThreadItems(created.thread.id, null, 50, 'asc', { userId: 'alice' });
    return page.data.some((item) => item.type === 'sdk_hidden_context') ? page.data : undefined;
  }, 'the cancellation item is saved');
  expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
});

test('uploads: two-phase PUT and direct multipart POST', async () => {
  const attachment = await (await post(`${origin}/chatkit/api`, { type: 'attachments.create', params: { name: 'cat.png', size: PNG.length, mime_type: 'image/png' } }, ALICE)).json();
  expect(attachment.upload_descriptor.url).toBe(`${origin}/chatkit/api/upload/${attachment.id}`);
  const put = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: PNG, headers: { ...ALICE, 'content-type': 'image/png' } });
  expect(put.status).toBe(200);
  expect(await readFile(join(dir, attachment.id))).toEqual(PNG);
  const preview = await fetch(attachment.preview_url);
  expect(preview.status).toBe(200);
  expect(Buffer.from(await preview.arrayBuffer())).toEqual(PNG);

  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'dog.png');
  const direct = await fetch(`${origin}/chatkit/api/upload`, { method: 'POST', body: form, headers: ALICE });
  expect(direct.status).toBe(200);
  const stored = await direct.json();
  expect(stored).toMatchObject({ name: 'dog.png', type: 'image' });
  expect(await readFile(join(dir, stored.id))).toEqual(PNG);
});

test('errors have the JSON shape', async () => {
  const response = await post(`${origin}/chatkit/api`, { type: 'threads.get_by_id', params: { thread_id: 'thr_missing' } }, ALICE);
  expect(response.status).toBe(404);
  const json = await response.json();
  expect(json).toEqual({ error: { code: 'not_found', message: expect.stringContaining('thr_missing') }, requestId: response.headers.get('x-request-id') });
  expect((await post(`${origin}/chatkit/api`, { type: 'threads.list', params: {} })).status).toBe(401);
});

test('without sign-in, the rate limit counts per client address (from getConnInfo)', async () => {
  const create = () => post(`${origin}/open/api`, { type: 'threads.create', params: { input: userInput('hi') } });
  for (let i = 0; i < 2; i++) {
    const response = await create();
    expect(response.status).toBe(200);
    await response.text();
  }
  const limited = await create();
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('60');
  expect((await limited.json()).error.code).toBe('rate_limited');
  expect(rateKeys).toEqual(['ip:127.0.0.1', 'ip:127.0.0.1', 'ip:127.0.0.1']);
});
