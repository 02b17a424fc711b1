/**
 * `StreamingResult.pump`: how the HTTP front doors read a stream (events
 * pushed to a callback, no promise per event). It must hand out exactly what
 * `events()` does, and keep its rules: backpressure pauses the handler, a
 * consumer that stops or throws cancels the stream (spec 6.4), an abort
 * cancels it while the handler waits.
 */
import { describe, expect, test } from 'vitest';
import { now, StreamingResult, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { STOP_STREAM } from '../../src/runtime/results.js';
import { userInput } from '../support/chatkit.js';
import { ScriptedServer } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};
const CREATE = JSON.stringify({ type: 'threads.create', params: { input: userInput('Hi') } });

/** A handler streaming one assistant message in `deltas` pieces; `onPulled` sees each piece as it is produced. */
function streamingServer(deltas: number, onPulled: (index: number) => void = () => {}) {
  const server = new ScriptedServer<Ctx>();
  let finallyRan = false;
  server.respondWith = async function* (thread) {
    const id = server.store.generateItemId('message', thread, ctx);
    const item = { id, thread_id: thread.id, created_at: now(), type: 'assistant_message' as const, content: [] };
    try {
      yield { type: 'thread.item.added', item };
      for (let i = 0; i < deltas; i++) {
        onPulled(i);
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: `w${i} ` } };
      }
      yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text: 'done', type: 'output_text' }] } };
    } finally {
      finallyRan = true;
    }
  };
  return { server, finallyRan: () => finallyRan };
}

async function start(server: ScriptedServer<Ctx>, options: { signal?: AbortSignal; prepare?: boolean } = {}): Promise<StreamingResult> {
  const result = await server.process(CREATE, ctx, { signal: options.signal });
  if (!(result instanceof StreamingResult)) throw new Error('expected a stream');
  if (options.prepare) await result.prepare();
  return result;
}

/** Ids and timestamps differ between two runs; the rest must not. */
function shape(event: ThreadStreamEvent): unknown {
  return JSON.parse(JSON.stringify(event).replace(/"(thr|msg|cus|shcx)_[0-9a-f]+"/g, '"<id>"').replace(/"\d{4}-\d\d-\d\dT[^"]+"/g, '"<time>"'));
}

async function savedTypes(server: ScriptedServer<Ctx>): Promise<string[]> {
  const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
  return (await server.store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data.map((item) => item.type);
}

describe('StreamingResult.pump', () => {
  test('hands out exactly the events events() does, with and without prepare()', async () => {
    const iterated: unknown[] = [];
    for await (const event of (await start(streamingServer(50).server)).events()) iterated.push(shape(event));
    for (const prepare of [false, true]) {
      const pumped: unknown[] = [];
      await (await start(streamingServer(50).server, { prepare })).pump((event) => void pumped.push(shape(event)));
      expect(pumped).toEqual(iterated);
    }
    expect(iterated).toHaveLength(3 + 1 + 50 + 1);
  });

  test('a pending answer pauses the handler until it settles', async () => {
    const pulled: number[] = [];
    const { server } = streamingServer(10, (index) => pulled.push(index));
    const result = await start(server);
    let release!: () => void;
    let deliveredAtPause = -1;
    let delivered = 0;
    const done = result.pump((event) => {
      delivered++;
      if (event.type === 'thread.item.updated' && deliveredAtPause < 0) {
        deliveredAtPause = delivered;
        return new Promise<void>((resolve) => (release = resolve));
      }
      return undefined;
    });
    await expect.poll(() => deliveredAtPause).toBeGreaterThan(0);
    // Give the handler every chance to run ahead: it must not.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toEqual([0]);
    expect(delivered).toBe(deliveredAtPause);
    release();
    await done;
    expect(pulled).toHaveLength(10);
    expect(await savedTypes(server)).toEqual(['user_message', 'assistant_message']);
  });

  test('STOP_STREAM cancels: the handler is closed and the partial message is saved with the hidden note', async () => {
    const { server, finallyRan } = streamingServer(10);
    const seen: string[] = [];
    await (await start(server)).pump((event) => {
      seen.push(event.type);
      return seen.length === 6 ? STOP_STREAM : undefined;
    });
    expect(seen).toHaveLength(6);
    await expect.poll(finallyRan).toBe(true);
    expect(await savedTypes(server)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
  });

  test('a consumer that throws rejects with its error, after the stream was cancelled', async () => {
    const { server, finallyRan } = streamingServer(10);
    let count = 0;
    const failure = new Error('socket exploded');
    await expect(
      (await start(server)).pump(() => {
        if (++count === 5) throw failure;
        return undefined;
      }),
    ).rejects.toBe(failure);
    await expect.poll(finallyRan).toBe(true);
    expect(await savedTypes(server)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
  });

  test('an abort while the handler waits ends the pump at once and runs the cancellation', async () => {
    const server = new ScriptedServer<Ctx>();
    let waiting!: () => void;
    const reachedWait = new Promise<void>((resolve) => (waiting = resolve));
    let finallyRan = false;
    server.respondWith = async function* (thread) {
      try {
        const id = server.store.generateItemId('message', thread, ctx);
        yield { type: 'thread.item.added', item: { id, thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [{ annotations: [], text: 'Half', type: 'output_text' }] } };
        waiting();
        // A model call that never answers and ignores the signal: the pump must not wait for it.
        await new Promise(() => {});
      } finally {
        finallyRan = true;
      }
    };
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (await start(server, { signal: controller.signal })).pump((event) => void seen.push(event.type));
    await reachedWait;
    controller.abort();
    await done;
    expect(seen.at(-1)).toBe('thread.item.added');
    expect(await savedTypes(server)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
    // The handler is stuck in its await, so its `finally` cannot have run; nothing waits for it.
    expect(finallyRan).toBe(false);
  });

  test('a result is consumed once, whichever way', async () => {
    const result = await start(streamingServer(1).server);
    await result.pump(() => undefined);
    await expect(result.pump(() => undefined)).rejects.toThrow(/already consumed/);
    expect(() => result.events()).toThrow(/already consumed/);
  });
});
