/**
 * What only the fetch front door has: its start-up checks and properties,
 * being called directly with a `Request` (no server at all), `request.signal`
 * as the cancellation path, and the Node adapter's edges.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { ChatKitPluginConfigError, createChatKitHandler, toNodeListener } from '../../src/http/fetch/index.js';
import { FileAttachmentStore, MemoryStore, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { SseReader, eventually, gate, userInput } from './support.js';

const quiet = { error() {}, warn() {} };
let listening: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (listening ? listening.close(() => resolve()) : resolve()));
  listening = undefined;
});

const createThread = (signal?: AbortSignal) =>
  new Request('http://app.test/chatkit/api', {
    method: 'POST',
    body: JSON.stringify({ type: 'threads.create', params: { input: userInput('hi') } }),
    signal,
  });

test('options are checked when the handler is created, with the plugin’s messages', () => {
  expect(() => createChatKitHandler({ server: undefined as never })).toThrow(ChatKitPluginConfigError);
  expect(() => createChatKitHandler({ server: new ScriptedServer(), cors: { origins: '*', credentials: true } })).toThrow(/cannot be combined with credentials/);
  expect(() => createChatKitHandler({ server: new ScriptedServer(), path: 'chatkit' })).toThrow(/path: must start with "\/"/);
  expect(() => createChatKitHandler({ server: new ScriptedServer(), auth: { jwt: {} } })).toThrow(/exactly one of secret/);
});

test('the handler tells where it serves, and answers a Request directly, without any server', async () => {
  const handler = createChatKitHandler({ server: new ScriptedServer(new MemoryStore(), new FileAttachmentStore({ dir: '/tmp/unused' })), path: '/api/chatkit', logger: quiet });
  expect(handler.path).toBe('/api/chatkit');
  expect(handler.uploadPath).toBe('/chatkit/api/upload');
  const list = await handler(new Request('http://app.test/api/chatkit', { method: 'POST', body: '{"type":"threads.list","params":{}}' }));
  expect(list.status).toBe(200);
  expect(await list.json()).toEqual({ data: [], has_more: false });
  const elsewhere = await handler(new Request('http://app.test/somewhere-else'));
  expect(elsewhere.status).toBe(404);
  expect((await elsewhere.json()).error.message).toBe('No route GET /somewhere-else; ChatKit requests go to POST /api/chatkit');
});

test('aborting request.signal cancels the stream: the runtime’s cancellation path runs', async () => {
  const store = new MemoryStore();
  const server = new ScriptedServer(store);
  const handlerClosed = gate();
  const handlerWaiting = gate();
  let sawAbort = false;
  server.respondWith = async function* (thread, _input, _context, { signal }): AsyncGenerator<ThreadStreamEvent> {
    try {
      yield { type: 'thread.item.added', item: { id: 'msg_p', thread_id: thread.id, created_at: new Date().toISOString(), type: 'assistant_message', content: [] } };
      yield { type: 'thread.item.updated', item_id: 'msg_p', update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Part' } };
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      handlerWaiting.open();
      await aborted;
      sawAbort = true;
    } finally {
      handlerClosed.open();
    }
  };
  const handler = createChatKitHandler({ server, logger: quiet });
  const controller = new AbortController();
  const response = await handler(createThread(controller.signal));
  const reader = new SseReader(response);
  const created = await reader.until((event) => event.type === 'thread.created');
  await reader.until((event) => event.type === 'thread.item.updated');
  // The handler asks for nothing more once cancelled, so let it reach its wait first
  // (streams take turns on the event loop: it may not have been resumed yet).
  await handlerWaiting.promise;
  controller.abort(); // the body is not cancelled: only the signal tells
  await handlerClosed.promise;
  expect(sawAbort).toBe(true);
  const items = await eventually(async () => {
    const page = await store.loadThreadItems(created.thread.id, null, 10, 'asc', {});
    return page.data.length === 3 ? page.data : undefined;
  }, 'the cancelled stream is saved');
  expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
});

test('toNodeListener: a method a fetch Request cannot carry is a 405 in the JSON shape', async () => {
  const handler = createChatKitHandler({ server: new ScriptedServer(), logger: quiet });
  listening = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => listening!.listen(0, '127.0.0.1', resolve));
  const { port } = listening.address() as { port: number };
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/chatkit/api', method: 'TRACE' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
  expect(status).toBe(405);
  expect(JSON.parse(body)).toEqual({ error: { code: 'method_not_allowed', message: 'TRACE requests are not supported' }, requestId: expect.any(String) });
});
