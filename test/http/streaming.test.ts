import { Agent as HttpAgent, get as httpGet } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { CANCELLED_STREAM_CONTEXT, MemoryStore, type ThreadStreamEvent } from '../../src/runtime/index.js';
import type { ObservedEvent, ObservedRequest, ObservedResponse } from '../../src/http/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { SseReader, eventually, gate, post, readAll, startApp, userInput, type Running, DOORS, headerOf, starterFor } from './support.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function assistantAdded(threadId: string, id: string): ThreadStreamEvent {
  return { type: 'thread.item.added', item: { id, thread_id: threadId, created_at: new Date().toISOString(), type: 'assistant_message', content: [] } };
}
function delta(id: string, text: string): ThreadStreamEvent {
  return { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: text } };
}

/** GETs over one kept-alive connection; `get()` resolves with the status. */
function keptAliveGet(url: string) {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  return {
    get: () =>
      new Promise<number>((resolve, reject) => {
        httpGet(url, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        }).on('error', reject);
      }),
    close: () => agent.destroy(),
  };
}

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  // Compression is a Fastify plugin; the fetch door is checked without it.
  describe.each(door === 'fastify' ? [false, true] : [false])('streaming over TCP (with @fastify/compress: %s)', (withCompress) => {
    test('the first event arrives before the last one is produced, unbuffered and uncompressed', async () => {
      const server = new ScriptedServer();
      const release = gate();
      let lastProduced = false;
      server.respondWith = async function* (thread) {
        yield assistantAdded(thread.id, 'msg_a');
        await release.promise; // held until the client has seen the events above
        yield delta('msg_a', 'late');
        lastProduced = true;
      };
      running = await startApp({ server }, { compress: withCompress });
      const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, {
        'accept-encoding': 'gzip, deflate, br',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      expect(response.headers.get('content-length')).toBeNull();
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('x-request-id')).toBeTruthy();

      const reader = new SseReader(response);
      const added = await reader.until((event) => event.type === 'thread.item.added');
      expect(added.item.id).toBe('msg_a');
      expect(lastProduced).toBe(false);
      release.open();
      const rest = await reader.rest();
      expect(lastProduced).toBe(true);
      expect(rest).toEqual([{ type: 'thread.item.updated', item_id: 'msg_a', update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'late' } }]);
      // Every frame is exactly `data: <json>`.
      expect(reader.raw.every((frame) => frame.startsWith('data: {'))).toBe(true);

      // Proof that compression really is active in this app: JSON responses are compressed.
      const json = await post(running!.endpoint, { type: 'threads.list', params: {} }, { 'accept-encoding': 'gzip' });
      expect(json.headers.get('content-encoding')).toBe(withCompress ? 'gzip' : null);
      expect((await json.json()).data).toHaveLength(1);
    });
  });

  test('non-streaming requests answer JSON', async () => {
    const server = new ScriptedServer();
    running = await startApp({ server });
    const created = await readAll(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }));
    const threadId = created[0]!.thread.id as string;
    const response = await post(running.endpoint, { type: 'threads.get_by_id', params: { thread_id: threadId } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const thread = await response.json();
    expect(thread.id).toBe(threadId);
    expect(thread.items.data.map((item: { type: string }) => item.type)).toEqual(['user_message']);
  });

  test('a client that disconnects mid-stream leaves the cancellation state of spec 6.4', async () => {
    const store = new MemoryStore();
    const server = new ScriptedServer(store);
    const handlerClosed = gate();
    const handlerWaiting = gate();
    let sawAbort = false;
    server.respondWith = async function* (thread, _input, _context, { signal }) {
      try {
        yield assistantAdded(thread.id, 'msg_partial');
        yield delta('msg_partial', 'Partial ');
        yield delta('msg_partial', 'answ');
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        handlerWaiting.open();
        await aborted;
        sawAbort = signal.aborted;
        yield delta('msg_partial', 'never sent');
      } finally {
        handlerClosed.open();
      }
    };
    running = await startApp({ server });
    const controller = new AbortController();
    const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, {}, controller.signal);
    const reader = new SseReader(response);
    const created = await reader.until((event) => event.type === 'thread.created');
    await reader.until((event) => event.type === 'thread.item.updated' && (event.update as { delta?: string }).delta === 'answ');
    // Streams take turns on the event loop: let the handler reach its wait before the client goes.
    await handlerWaiting.promise;
    controller.abort();
    await handlerClosed.promise;
    expect(sawAbort).toBe(true);

    const threadId = created.thread.id as string;
    const items = await eventually(async () => {
      const page = await store.loadThreadItems(threadId, null, 50, 'asc', {});
      return page.data.some((item) => item.type === 'sdk_hidden_context') ? page.data : undefined;
    }, 'the hidden cancellation item is saved');
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
    const partial = items[1]!;
    expect(partial.type === 'assistant_message' && partial.content[0]!.text).toBe('Partial answ');
    const hidden = items[2]!;
    expect(hidden.type === 'sdk_hidden_context' && hidden.content).toBe(CANCELLED_STREAM_CONTEXT);
    expect(hidden.id).toMatch(/^shcx_/);
  });

  test('heartbeats are `: ping` comments sent while the stream is quiet', async () => {
    const server = new ScriptedServer();
    const release = gate();
    server.respondWith = async function* (thread) {
      yield assistantAdded(thread.id, 'msg_a');
      await release.promise;
      thread.title = 'done';
    };
    running = await startApp({ server, heartbeatMs: 20 });
    const reader = new SseReader(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }));
    await reader.until((event) => event.type === 'thread.item.added');
    let frame = await reader.next();
    while (frame && !frame.comment) frame = await reader.next();
    expect(frame?.comment).toBe('ping');
    release.open();
    const rest = await reader.rest();
    expect(rest.at(-1)?.type).toBe('thread.updated');
  });

  test('the observer reports requests, every streamed event and responses', async () => {
    const server = new ScriptedServer();
    server.respondWith = async function* (thread) {
      yield assistantAdded(thread.id, 'msg_a');
      yield delta('msg_a', 'x');
    };
    running = await startApp({ server });
    const requests: ObservedRequest[] = [];
    const events: ObservedEvent[] = [];
    const responses: ObservedResponse[] = [];
    running.chatkit.observer.on('request', (r) => requests.push(r));
    running.chatkit.observer.on('event', (e) => events.push(e));
    running.chatkit.observer.on('response', (r) => responses.push(r));

    const body = { type: 'threads.create', params: { input: userInput('hi') } };
    const streamed = await readAll(await post(running.endpoint, body));
    await post(running.endpoint, { type: 'threads.get_by_id', params: { thread_id: 'thr_missing' } });
    await eventually(() => (responses.length === 2 ? true : undefined), 'two responses observed');

    expect(requests[0]).toMatchObject({ type: 'threads.create', body });
    expect(requests[1]).toMatchObject({ type: 'threads.get_by_id', threadId: 'thr_missing' });
    expect(events.map((e) => e.event)).toEqual(streamed);
    expect(events.every((e) => e.requestId === requests[0]!.requestId && e.atMs >= 0)).toBe(true);
    expect(responses[0]).toMatchObject({ requestId: requests[0]!.requestId, type: 'threads.create', status: 200, streaming: true, eventCount: streamed.length });
    expect(responses[0]!.firstEventMs).toBeGreaterThanOrEqual(0);
    expect(responses[1]).toMatchObject({ type: 'threads.get_by_id', threadId: 'thr_missing', status: 404, streaming: false, error: { code: 'not_found' } });
    expect(running.chatkit.path).toBe('/chatkit/api');
  });

  test.runIf(door === 'fastify')('GET /healthz', async () => {
    running = await startApp({ server: new ScriptedServer() });
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test.runIf(door === 'fastify')('GET /healthz is answered while streams that never wait are mid-way, not only after them', async () => {
    // 200 handlers held until all have started, then released at once; from
    // there they never await anything (MemoryStore), so without turns on the
    // event loop every one of them would run to its end before another
    // socket is read.
    const server = new ScriptedServer();
    const STREAMS = 200;
    const DELTAS = 300;
    const allStarted = gate();
    let started = 0;
    let finished = 0;
    server.respondWith = async function* (thread) {
      if (++started === STREAMS) {
        allStarted.open();
        healthAnswer = healthCheck.get();
      }
      await allStarted.promise;
      try {
        yield assistantAdded(thread.id, 'msg_a');
        for (let i = 0; i < DELTAS; i++) yield delta('msg_a', `w${i} `);
      } finally {
        finished++;
      }
    };
    running = await startApp({ server });
    // The health check's connection is already open (as a load balancer's is), so asking costs one write.
    const healthCheck = keptAliveGet(`${running.url}/healthz`);
    expect(await healthCheck.get()).toBe(200);
    let healthAnswer: Promise<number> | undefined;
    // How many streams had finished when the server read the health check off its socket (Node's own 'request' event).
    let finishedWhenHealthRead = -1;
    running.app!.server.on('request', (request: { url?: string }) => {
      if (request.url === '/healthz' && started === STREAMS) finishedWhenHealthRead = finished;
    });
    const results = await Promise.all(
      Array.from({ length: STREAMS }, async () => readAll(await post(running!.endpoint, { type: 'threads.create', params: { input: userInput('hi') } }))),
    );
    expect(await healthAnswer).toBe(200);
    expect(finishedWhenHealthRead).toBeGreaterThanOrEqual(0);
    expect(finishedWhenHealthRead).toBeLessThan(STREAMS);
    // Nothing was lost to the turns: every stream carried all its deltas.
    for (const events of results) {
      expect(events.filter((event) => event.type === 'thread.item.updated')).toHaveLength(DELTAS);
    }
    healthCheck.close();
  });

  test('backpressure: a client that stops reading stops the handler, and nothing is lost', async () => {
    const server = new ScriptedServer();
    const TOTAL = 400;
    const chunk = 'y'.repeat(64 * 1024);
    let produced = 0;
    server.respondWith = async function* (thread) {
      yield assistantAdded(thread.id, 'msg_big');
      for (let i = 0; i < TOTAL; i++) {
        produced++;
        yield delta('msg_big', chunk);
      }
    };
    running = await startApp({ server });
    const response = await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi') } });
    // Not reading: wait until production stalls, then check it stalled well before the end (25 MB of frames).
    let last = -1;
    let stableFor = 0;
    while (stableFor < 20 && produced < TOTAL) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      stableFor = produced === last ? stableFor + 1 : 0;
      last = produced;
    }
    expect(produced).toBeLessThan(TOTAL);
    const events = await readAll(response);
    expect(produced).toBe(TOTAL);
    expect(events.filter((event) => event.type === 'thread.item.updated')).toHaveLength(TOTAL);
  });
});
