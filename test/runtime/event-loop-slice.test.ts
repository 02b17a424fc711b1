/**
 * Streams share the event loop: a burst of streams whose store answers at
 * once must still let timers and I/O run between their steps (so a health
 * check is answered while a thousand streams run), without changing a
 * single event, and a stream cancelled while it waits for its turn must
 * not run its handler again.
 */
import { describe, expect, test } from 'vitest';
import { StreamingResult, now, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { SLICE_MS, inSlice, sliceSpent } from '../../src/runtime/event-loop-slice.js';
import { userInput } from '../support/chatkit.js';
import { ScriptedServer } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};
const DELTAS = 200;

/** Keeps the thread busy until a slice opened just before is surely spent. */
function spendSlice(): void {
  const until = performance.now() + SLICE_MS + 1;
  while (performance.now() < until) {
    // busy on purpose
  }
}

function chattyServer(): ScriptedServer<Ctx> {
  const server = new ScriptedServer<Ctx>();
  // A handler that never waits for anything: without slicing, its stream runs to the end in one go.
  server.respondWith = async function* (thread) {
    const id = server.store.generateItemId('message', thread, ctx);
    const item = { id, thread_id: thread.id, created_at: now(), type: 'assistant_message' as const, content: [] };
    yield { type: 'thread.item.added', item };
    let text = '';
    for (let i = 0; i < DELTAS; i++) {
      text += `w${i} `;
      yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: `w${i} ` } };
    }
    yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text, type: 'output_text' }] } };
  };
  return server;
}

async function runStream(server: ScriptedServer<Ctx>, text: string, signal?: AbortSignal): Promise<ThreadStreamEvent[]> {
  const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput(text) } }), ctx, { signal });
  if (!(result instanceof StreamingResult)) throw new Error('expected a stream');
  const events: ThreadStreamEvent[] = [];
  for await (const event of result.events()) events.push(event);
  return events;
}

describe('event-loop slicing between streams', () => {
  test('a timer set while 300 busy streams run fires before they have all finished, and every stream is complete', async () => {
    const server = chattyServer();
    let finished = 0;
    let finishedWhenTimerFired = -1;
    const streams = Array.from({ length: 300 }, (_, i) =>
      runStream(server, `hello ${i}`).then((events) => {
        finished++;
        return events;
      }),
    );
    setTimeout(() => (finishedWhenTimerFired = finished), 0);
    const results = await Promise.all(streams);

    expect(finishedWhenTimerFired).toBeGreaterThanOrEqual(0);
    expect(finishedWhenTimerFired).toBeLessThan(300);
    for (const events of results) {
      const types = events.map((event) => event.type);
      // thread.created, the user message, stream_options, added, the deltas, done.
      expect(types.length).toBe(3 + 1 + DELTAS + 1);
      expect(types.slice(0, 4)).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added']);
      expect(types.at(-1)).toBe('thread.item.done');
      const deltas = events.filter((event) => event.type === 'thread.item.updated').map((event) => (event as { update: { delta: string } }).update.delta);
      expect(deltas).toEqual(Array.from({ length: DELTAS }, (_, i) => `w${i} `));
    }
  });

  test('once a slice is spent, steps wait for the next turn and then run in the order they queued', async () => {
    await new Promise((resolve) => setImmediate(resolve)); // a fresh turn
    expect(sliceSpent()).toBe(false);
    spendSlice();
    const ran: string[] = [];
    inSlice(() => ran.push('first'));
    inSlice(() => ran.push('second'));
    // A newcomer does not overtake steps already waiting, even in a fresh slice.
    expect(sliceSpent()).toBe(true);
    expect(ran).toEqual([]);
    await new Promise<void>((resolve) => inSlice(() => resolve()));
    expect(ran).toEqual(['first', 'second']);
  });

  test('a stream cancelled while it waits for its turn does not ask its handler for another event', async () => {
    const server = new ScriptedServer<Ctx>();
    let produced = 0;
    let closed = false;
    server.respondWith = async function* (thread) {
      const id = server.store.generateItemId('message', thread, ctx);
      try {
        for (;;) {
          produced++;
          yield { type: 'thread.item.added', item: { id: `${id}_${produced}`, thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [] } };
        }
      } finally {
        closed = true;
      }
    };
    const controller = new AbortController();
    const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('hi') } }), ctx, { signal: controller.signal });
    if (!(result instanceof StreamingResult)) throw new Error('expected a stream');
    const events = result.events();
    // The planned events and the handler's first one.
    for (let i = 0; i < 4; i++) expect((await events.next()).done).toBe(false);
    const producedBefore = produced;

    await new Promise((resolve) => setImmediate(resolve));
    expect(sliceSpent()).toBe(false); // opens a fresh slice
    spendSlice();
    // The slice is spent: this pull waits in the queue, and the client goes away meanwhile.
    const next = events.next();
    expect(produced).toBe(producedBefore);
    controller.abort();
    expect((await next).done).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toBe(producedBefore);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });

  test('a long queue that refills as it runs (steady load) runs every step once, in order', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(sliceSpent()).toBe(false);
    spendSlice();
    // 3,000 waiting steps, each queueing one more behind the rest: well past the point where the queue drops its consumed front.
    const ran: number[] = [];
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 3000; i++) {
        inSlice(() => {
          ran.push(i);
          inSlice(() => {
            ran.push(3000 + i);
            if (i === 2999) resolve();
          });
        });
      }
    });
    await done;
    expect(ran).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });
});
