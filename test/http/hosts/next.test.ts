/**
 * The fetch handler as a Next.js App Router route handler
 * (`app/api/chatkit/[[...slug]]/route.js`), in a real app built with
 * `next build` and served by `next start`: a streamed threads.create whose
 * first events arrive while the reply is still held back, a disconnect that
 * runs the runtime's cancellation, both upload routes, and JSON errors.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SseReader, eventually, post, userInput } from '../support.js';
import { buildNextApp, startNextApp, type RunningNext } from './next-app-runner.js';

const ADA = { authorization: 'Bearer user-ada' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let next: RunningNext;
let uploads: string;
let endpoint: string;

beforeAll(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'chatkit-next-'));
  await buildNextApp();
  next = await startNextApp(uploads);
  endpoint = `${next.origin}/api/chatkit`;
}, 600_000);

afterAll(async () => {
  await next?.close();
  await rm(uploads, { recursive: true, force: true });
});

const release = async () => (await (await fetch(`${next.origin}/api/test-control`, { method: 'POST' })).json()).released as number;

test('a streamed threads.create: the first events arrive while the last is held back', async () => {
  const response = await post(endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, ADA);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
  expect(response.headers.get('content-encoding')).toBeNull();
  const reader = new SseReader(response);
  const delta = await reader.until((event) => event.type === 'thread.item.updated');
  expect(delta.update.delta).toBe('Hello');
  // The server is still holding the reply: nothing was buffered until the end.
  // The handler reaches its wait in its own turn (streams take turns on the event loop), so ask until it has.
  expect(await eventually(async () => ((await release()) === 1 ? 1 : undefined), 'the handler holds the last event back')).toBe(1);
  const rest = await reader.rest();
  expect(rest.map((event) => event.type)).toEqual(['thread.item.done']);
  expect(rest[0]!.item.content[0].text).toBe('Hello ada');
});

test('a client that disconnects mid-stream: the handler is cancelled and the partial answer saved', async () => {
  const controller = new AbortController();
  const response = await post(endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, ADA, controller.signal);
  const reader = new SseReader(response);
  const created = await reader.until((event) => event.type === 'thread.created');
  await reader.until((event) => event.type === 'thread.item.updated');
  controller.abort();
  const items = await eventually(async () => {
    const page = await (await post(endpoint, { type: 'items.list', params: { thread_id: created.thread.id, order: 'asc' } }, ADA)).json();
    return page.data.length === 2 ? page.data : undefined;
  }, 'the partial assistant message is saved by the cancellation path');
  expect(items.map((item: { type: string }) => item.type)).toEqual(['user_message', 'assistant_message']);
  expect(items[1].content[0].text).toBe('Hello');
});

test('uploads through the route: two-phase PUT, preview, direct multipart POST', async () => {
  const attachment = await (await post(endpoint, { type: 'attachments.create', params: { name: 'cat.png', size: PNG.length, mime_type: 'image/png' } }, ADA)).json();
  expect(attachment.upload_descriptor.url).toBe(`${endpoint}/upload/${attachment.id}`);
  const put = await fetch(attachment.upload_descriptor.url, { method: 'PUT', body: PNG, headers: { ...ADA, 'content-type': 'image/png' } });
  expect(put.status).toBe(200);
  expect(await readFile(join(uploads, attachment.id))).toEqual(PNG);
  const preview = await fetch(attachment.preview_url);
  expect(preview.status).toBe(200);
  expect(preview.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await preview.arrayBuffer())).toEqual(PNG);

  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'dog.png');
  const direct = await fetch(`${endpoint}/upload`, { method: 'POST', body: form, headers: ADA });
  expect(direct.status).toBe(200);
  const stored = await direct.json();
  expect(stored).toMatchObject({ name: 'dog.png', type: 'image' });
  expect((await readdir(uploads)).sort()).toEqual([attachment.id, `${attachment.id}.json`, stored.id, `${stored.id}.json`].sort());
});

test('errors keep the JSON shape and status through Next.js', async () => {
  const missing = await post(endpoint, { type: 'threads.get_by_id', params: { thread_id: 'thr_missing' } }, ADA);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('thr_missing') }, requestId: missing.headers.get('x-request-id') });
  const anonymous = await post(endpoint, { type: 'threads.list', params: {} });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  const get = await fetch(endpoint);
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
  expect((await get.json()).error.code).toBe('method_not_allowed');
});
