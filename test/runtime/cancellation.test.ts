/**
 * Spec 6.4: a client that goes away mid-stream. The pending assistant
 * message (if it has text) and an `sdk_hidden_context` note are saved; the
 * handler's generator is closed so its `finally` runs; its signal aborts.
 */
import { describe, expect, test } from 'vitest';
import { CANCELLED_STREAM_CONTEXT, StreamingResult, now } from '../../src/runtime/index.js';
import { userInput } from '../support/chatkit.js';
import { ScriptedServer } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function startStream(server: ScriptedServer<Ctx>, signal: AbortSignal) {
  const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('Hi') } }), ctx, { signal });
  if (!(result instanceof StreamingResult)) throw new Error('expected a stream');
  return result.events()[Symbol.asyncIterator]();
}

describe('cancellation by abort signal', () => {
  test('saves the partial assistant message and the hidden note, closes the handler, aborts its signal', async () => {
    const server = new ScriptedServer<Ctx>();
    const reachedWait = deferred();
    let finallyRan = false;
    let handlerSignal: AbortSignal | undefined;
    server.respondWith = async function* (thread, _input, _ctx, { signal }) {
      handlerSignal = signal;
      const id = server.store.generateItemId('message', thread, ctx);
      try {
        yield { type: 'thread.item.added', item: { id, thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [] } };
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.added', content_index: 0, content: { annotations: [], text: '', type: 'output_text' } } };
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Partial answ' } };
        // Wait like a slow model call that only ends when aborted.
        reachedWait.resolve();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'never sent' } };
      } finally {
        finallyRan = true;
      }
    };
    const controller = new AbortController();
    const events = await startStream(server, controller.signal);
    const seen: string[] = [];
    const reader = (async () => {
      while (true) {
        const step = await events.next();
        if (step.done) return;
        seen.push(step.value.type);
      }
    })();
    await reachedWait.promise;
    controller.abort();
    await reader;

    expect(seen).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'thread.item.updated', 'thread.item.updated']);
    expect(handlerSignal?.aborted).toBe(true);
    await expect.poll(() => finallyRan).toBe(true);
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const items = (await server.store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
    expect(items[1]).toMatchObject({ content: [{ text: 'Partial answ', annotations: [], type: 'output_text' }] });
    expect(items[2]).toMatchObject({ content: CANCELLED_STREAM_CONTEXT, id: expect.stringMatching(/^shcx_[0-9a-f]{24}$/) });
  });

  test('an empty pending assistant message, widgets and workflows are not saved', async () => {
    const server = new ScriptedServer<Ctx>();
    const reachedWait = deferred();
    server.respondWith = async function* (thread, _input, _ctx, { signal }) {
      const gen = (type: 'message' | 'workflow') => server.store.generateItemId(type, thread, ctx);
      yield { type: 'thread.item.added', item: { id: gen('message'), thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [{ annotations: [], text: '   ', type: 'output_text' }] } };
      yield { type: 'thread.item.added', item: { id: gen('message'), thread_id: thread.id, created_at: now(), type: 'widget', widget: { type: 'Card', children: [] } } };
      yield { type: 'thread.item.added', item: { id: gen('workflow'), thread_id: thread.id, created_at: now(), type: 'workflow', workflow: { type: 'custom', tasks: [], expanded: false } } };
      reachedWait.resolve();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    };
    const controller = new AbortController();
    const events = await startStream(server, controller.signal);
    const reader = (async () => {
      for (let step = await events.next(); !step.done; step = await events.next());
    })();
    await reachedWait.promise;
    controller.abort();
    await reader;
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const items = (await server.store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((item) => item.type)).toEqual(['user_message', 'sdk_hidden_context']);
  });

  test('a consumer that stops reading counts as a cancellation too', async () => {
    const server = new ScriptedServer<Ctx>();
    let finallyRan = false;
    server.respondWith = async function* (thread) {
      try {
        const id = server.store.generateItemId('message', thread, ctx);
        yield { type: 'thread.item.added', item: { id, thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [{ annotations: [], text: 'Half', type: 'output_text' }] } };
        yield { type: 'progress_update', text: 'more' };
      } finally {
        finallyRan = true;
      }
    };
    const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('Hi') } }), ctx);
    for await (const event of (result as StreamingResult).events()) {
      if (event.type === 'thread.item.added') break;
    }
    expect(finallyRan).toBe(true);
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const items = (await server.store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
  });

  test('a stream that completes normally runs no cancellation handling', async () => {
    const server = new ScriptedServer<Ctx>();
    let cancelled = 0;
    server.handleStreamCancelled = async () => {
      cancelled++;
    };
    server.respondWith = async function* () {
      yield { type: 'progress_update', text: 'done' };
    };
    const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('Hi') } }), ctx, { signal: new AbortController().signal });
    for await (const _ of result as StreamingResult);
    expect(cancelled).toBe(0);
  });
});
