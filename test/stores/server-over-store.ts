/**
 * ChatKitServer end to end over a store: requests go through
 * `server.process` exactly as the HTTP layer sends them, and what the server
 * persisted comes back through the protocol.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { NotFoundError, type StoreOptions, type ThreadMetadata } from '../../src/runtime/index.js';
import { call, stream, userInput } from '../support/chatkit.js';
import { ScriptedServer, assistantMessage } from '../support/scripted-server.js';
import type { Ctx, StoreHarness, TestStore } from './contract.js';

const alice: Ctx = { user: 'alice' };
const bob: Ctx = { user: 'bob' };
const perUser: StoreOptions<Ctx> = { ownerOf: (c) => c.user };

export interface ServerHarness extends StoreHarness {
  /** Makes the database itself reject further writes of assistant messages (a constraint, a trigger). */
  failAssistantMessageWrites?(store: TestStore): Promise<void>;
}

function echoServer(store: TestStore): ScriptedServer<Ctx> {
  const server = new ScriptedServer<Ctx>(store);
  server.respondWith = async function* (thread: ThreadMetadata, input, context, _options, self) {
    const text = input?.content.map((part) => ('text' in part ? part.text : '')).join('') ?? '';
    yield { type: 'thread.item.done', item: assistantMessage(thread, self.store.generateItemId('message', thread, context), `echo: ${text}`) };
    yield {
      type: 'thread.item.done',
      item: { id: self.store.generateItemId('sdk_hidden_context', thread, context), thread_id: thread.id, created_at: new Date().toISOString(), type: 'sdk_hidden_context', content: 'for the model only' },
    };
    thread.title = `about ${text}`;
  };
  return server;
}

async function createThread(server: ScriptedServer<Ctx>, text: string, context: Ctx) {
  const events = await stream(server, { type: 'threads.create', params: { input: userInput(text) } }, context);
  const created = events.find((event) => event.type === 'thread.created');
  if (!created || created.type !== 'thread.created') throw new Error(`no thread.created in ${JSON.stringify(events)}`);
  return { threadId: created.thread.id, events };
}

export function describeServerOverStore(harness: ServerHarness): void {
  describe(`${harness.name}: ChatKitServer end to end`, () => {
    afterEach(() => harness.closeAll());

    test('threads.create, then items.list, threads.list and threads.get_by_id read it back', async () => {
      const server = echoServer(await harness.open(perUser));
      const { threadId, events } = await createThread(server, 'hello', alice);
      expect(events.map((event) => event.type)).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.done', 'thread.updated']);

      const items = await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, alice);
      expect(items.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect(items.data[0].content).toEqual([{ type: 'input_text', text: 'hello' }]);
      expect(items.data[1].content[0].text).toBe('echo: hello');
      expect(items.has_more).toBe(false);
      // The hidden item was stored (the model sees it) even though the client does not.
      const stored = await server.store.loadThreadItems(threadId, null, 10, 'asc', alice);
      expect(stored.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);

      const threads = await call(server, { type: 'threads.list', params: {} }, alice);
      expect(threads.data.map((thread: { id: string; title: string }) => [thread.id, thread.title])).toEqual([[threadId, 'about hello']]);
      const byId = await call(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, alice);
      expect(byId.items.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'assistant_message']);

      // Per-user isolation through the protocol: bob sees nothing of alice's.
      expect((await call(server, { type: 'threads.list', params: {} }, bob)).data).toEqual([]);
      await expect(call(server, { type: 'items.list', params: { thread_id: threadId } }, bob)).rejects.toBeInstanceOf(NotFoundError);
    });

    test('threads.delete removes the thread and its items', async () => {
      const server = echoServer(await harness.open(perUser));
      const { threadId } = await createThread(server, 'bye', alice);
      await call(server, { type: 'threads.delete', params: { thread_id: threadId } }, alice);
      await expect(call(server, { type: 'items.list', params: { thread_id: threadId } }, alice)).rejects.toBeInstanceOf(NotFoundError);
      expect((await call(server, { type: 'threads.list', params: {} }, alice)).data).toEqual([]);
    });

    test('a threads.update answered while the first reply streams is not overwritten by the stream', async () => {
      const store = await harness.open(perUser);
      const server = new ScriptedServer<Ctx>(store);
      let handlerStarted!: (threadId: string) => void;
      const reached = { promise: new Promise<string>((resolve) => (handlerStarted = resolve)), resolve: (id: string) => handlerStarted(id) };
      let releaseHandler!: () => void;
      const release = { promise: new Promise<void>((resolve) => (releaseHandler = resolve)), resolve: () => releaseHandler() };
      server.respondWith = async function* (thread, input, _context) {
        reached.resolve(thread.id);
        await release.promise;
        yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_' + '1'.repeat(24), 'slow answer') };
        // The template's auto-title: set when the handler's copy has none.
        if (!thread.title) thread.title = input!.content.map((part) => ('text' in part ? part.text : '')).join('');
        thread.metadata.answered = true;
      };
      const running = stream(server, { type: 'threads.create', params: { input: userInput('slow answer please') } }, alice);
      const threadId = await reached.promise;

      const renamed = await call(server, { type: 'threads.update', params: { thread_id: threadId, title: 'Renamed by user' } }, alice);
      expect(renamed.title).toBe('Renamed by user');
      // Server-side changes made meanwhile by someone else: a metadata key and the status.
      await store.updateThread(threadId, (stored) => ({ ...stored, status: { type: 'locked', reason: 'moderation' }, metadata: { ...stored.metadata, audit: 'x' } }), alice);
      release.resolve();
      const events = await running;

      const stored = await store.loadThread(threadId, alice);
      expect(stored.title).toBe('Renamed by user');
      expect(stored.status).toEqual({ type: 'locked', reason: 'moderation' });
      // Both writers' metadata keys survive.
      expect(stored.metadata).toEqual({ audit: 'x', answered: true });
      // The stream's thread.updated tells the client the merged state, not its stale copy.
      const updates = events.filter((event) => event.type === 'thread.updated');
      expect(updates.at(-1)).toMatchObject({ thread: { title: 'Renamed by user', status: { type: 'locked' } } });
    });

    test('a stream still saves the fields it changed when nobody else touched them', async () => {
      const store = await harness.open(perUser);
      const server = new ScriptedServer<Ctx>(store);
      server.respondWith = async function* (thread) {
        yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_' + '2'.repeat(24), 'ok') };
        thread.title = 'From the stream';
        thread.status = { type: 'closed', reason: 'done' };
        thread.metadata.topic = 'x';
      };
      const { threadId } = await createThread(server, 'hi', alice);
      const stored = await store.loadThread(threadId, alice);
      expect(stored).toMatchObject({ title: 'From the stream', status: { type: 'closed', reason: 'done' }, metadata: { topic: 'x' } });
    });

    test('items sharing a created_at list in creation order: saved at cancel, moved by replaced, replaced in place', async () => {
      const store = await harness.open(perUser);
      const server = new ScriptedServer<Ctx>(store);
      // One millisecond for every item, as on a fast machine.
      const T = new Date().toISOString();
      const item = (thread: ThreadMetadata, id: string, text: string, createdAt = T) => ({ ...assistantMessage(thread, id, text), created_at: createdAt });
      let shown!: () => void;
      const pendingShown = new Promise<void>((resolve) => (shown = resolve));
      server.respondWith = async function* (thread, _input, _context, { signal }) {
        yield { type: 'thread.item.added', item: item(thread, 'msg_first', '') };
        yield { type: 'thread.item.updated', item_id: 'msg_first', update: { type: 'assistant_message.content_part.added', content_index: 0, content: { type: 'output_text', text: 'typed first', annotations: [] } } };
        yield { type: 'thread.item.done', item: item(thread, 'msg_second', 'done second') };
        shown();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      };
      const controller = new AbortController();
      const result = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('go') } }), alice, { signal: controller.signal });
      const reading = (async () => {
        for await (const _chunk of result as AsyncIterable<Uint8Array>);
      })();
      await pendingShown;
      controller.abort();
      await reading;
      const threadId = (await store.loadThreads(1, null, 'desc', alice)).data[0]!.id;
      const listed = async () => (await store.loadThreadItems(threadId, null, 20, 'asc', alice)).data.map((entry) => entry.id);
      // msg_first was created before msg_second but only saved when the stream was cancelled.
      expect((await listed()).filter((id) => id.startsWith('msg_first') || id.startsWith('msg_second'))).toEqual(['msg_first', 'msg_second']);

      server.respondWith = async function* (thread) {
        const a = item(thread, 'msg_a', 'a', T);
        yield { type: 'thread.item.done', item: a };
        yield { type: 'thread.item.done', item: item(thread, 'msg_b', 'b', T) };
        // Moved to a new time (that ties with nothing before it here): after b, as it was re-created after b.
        yield { type: 'thread.item.replaced', item: { ...a, content: [{ type: 'output_text', text: 'a, revised', annotations: [] }] } };
      };
      await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('again') } }, alice);
      // Replaced without a new created_at: msg_a keeps its place before msg_b.
      const ab = (await listed()).filter((id) => id === 'msg_a' || id === 'msg_b');
      expect(ab).toEqual(['msg_a', 'msg_b']);

      server.respondWith = async function* (thread) {
        const later = new Date(Date.parse(T) + 1).toISOString();
        yield { type: 'thread.item.done', item: item(thread, 'msg_c', 'c', later) };
        yield { type: 'thread.item.replaced', item: item(thread, 'msg_a', 'a, moved', later) };
      };
      await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('once more') } }, alice);
      const order = (await listed()).filter((id) => ['msg_a', 'msg_b', 'msg_c'].includes(id));
      // msg_a was moved to the time of msg_c, after msg_c was created.
      expect(order).toEqual(['msg_b', 'msg_c', 'msg_a']);
      const viaProtocol = await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'desc', limit: 50 } }, alice);
      expect(viaProtocol.data.map((entry: { id: string }) => entry.id).filter((id: string) => order.includes(id))).toEqual(['msg_a', 'msg_c', 'msg_b']);
    });

    test('U+0000 in ids and cursors is a NotFoundError or an unknown cursor, in text it round-trips (never a store error)', async () => {
      const server = echoServer(await harness.open(perUser));
      const { threadId } = await createThread(server, 'nul \u0000 inside', alice);
      await expect(call(server, { type: 'threads.get_by_id', params: { thread_id: 'thr_\u0000' } }, alice)).rejects.toBeInstanceOf(NotFoundError);
      await expect(call(server, { type: 'threads.update', params: { thread_id: 'thr_\u0000', title: 'x' } }, alice)).rejects.toBeInstanceOf(NotFoundError);
      const items = await call(server, { type: 'items.list', params: { thread_id: threadId, after: 'msg_\u0000', order: 'asc' } }, alice);
      expect(items.data[0].content[0].text).toBe('nul \u0000 inside');
      const threads = await call(server, { type: 'threads.list', params: { after: 'thr_\u0000' } }, alice);
      expect(threads.data.map((thread: { id: string }) => thread.id)).toEqual([threadId]);
      const renamed = await call(server, { type: 'threads.update', params: { thread_id: threadId, title: 'a\u0000b' } }, alice);
      expect(renamed.title).toBe('a\u0000b');
      expect((await call(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, alice)).title).toBe('a\u0000b');
    });

    test('a thread deleted while its reply streams is not brought back by the stream', async () => {
      const store = await harness.open(perUser);
      const server = new ScriptedServer<Ctx>(store);
      let started!: (threadId: string) => void;
      const reached = new Promise<string>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      server.respondWith = async function* (thread) {
        started(thread.id);
        await released;
        thread.title = 'too late';
      };
      const running = stream(server, { type: 'threads.create', params: { input: userInput('x') } }, alice);
      const threadId = await reached;
      await call(server, { type: 'threads.delete', params: { thread_id: threadId } }, alice);
      release();
      const events = await running;
      expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
      await expect(store.loadThread(threadId, alice)).rejects.toBeInstanceOf(NotFoundError);
    });

    if (harness.reopen) {
      const reopen = harness.reopen.bind(harness);
      test('a restarted server over the reopened store continues the thread', async () => {
        const store = await harness.open(perUser);
        const { threadId } = await createThread(echoServer(store), 'first', alice);
        const server = echoServer(await reopen(store, perUser));
        await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('second') } }, alice);
        const items = await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, alice);
        expect(items.data.map((item: { type: string; content: { text: string }[] }) => item.content[0]!.text)).toEqual([
          'first', 'echo: first', 'second', 'echo: second',
        ]);
      });
    }

    if (harness.failAssistantMessageWrites) {
      const failWrites = harness.failAssistantMessageWrites.bind(harness);
      test('a failed item write reaches the client as an error event, not silent loss', async () => {
        const store = await harness.open(perUser);
        const server = echoServer(store);
        const { threadId } = await createThread(server, 'before', alice);
        await failWrites(store);
        const events = await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('after') } }, alice);
        const errors = events.filter((event) => event.type === 'error');
        expect(errors).toHaveLength(1);
        expect(events.some((event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message')).toBe(false);
        const stored = await store.loadThreadItems(threadId, null, 20, 'asc', alice);
        expect(stored.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context', 'user_message']);
      });
    }
  });
}
