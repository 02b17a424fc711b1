/**
 * Section 9 of the protocol spec: every golden example captured from the
 * Python reference, reproduced byte for byte (ids and timestamps aside).
 */
import { beforeEach, describe, expect, test } from 'vitest';
import {
  AttachmentStore,
  CustomStreamError,
  StreamError,
  now,
  type Attachment,
  type AttachmentCreateParams,
  type ThreadMetadata,
  type ThreadStreamEvent,
} from '../../src/runtime/index.js';
import { callRaw, streamText, userInput } from '../support/chatkit.js';
import { RawNormalizer } from '../support/raw.js';
import { ScriptedServer, assistantMessage } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};

let server: ScriptedServer<Ctx>;
let raw: RawNormalizer;

beforeEach(() => {
  server = new ScriptedServer<Ctx>();
  raw = new RawNormalizer();
});

function id(type: 'message' | 'workflow', thread: ThreadMetadata) {
  return server.store.generateItemId(type, thread, ctx);
}

async function sse(body: unknown): Promise<string[]> {
  return raw.lines(await streamText(server, body, ctx));
}

async function json(body: unknown): Promise<string> {
  return raw.text(await callRaw(server, body, ctx));
}

const create = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'threads.create',
  params: { input: userInput(text, extra) },
});

async function createThread(text = 'Hi'): Promise<string> {
  const frames = await streamText(server, create(text), ctx);
  return JSON.parse(frames.split('\n\n')[0]!.slice(6)).thread.id as string;
}

describe('9.1 threads.create with a streamed reply and a title set during respond', () => {
  test('matches the captured stream', async () => {
    server.respondWith = async function* (thread) {
      const msg = id('message', thread);
      const base = { id: msg, thread_id: thread.id, created_at: now(), type: 'assistant_message' as const };
      yield { type: 'thread.item.added', item: { ...base, content: [] } };
      yield { type: 'thread.item.updated', item_id: msg, update: { type: 'assistant_message.content_part.added', content_index: 0, content: { annotations: [], text: '', type: 'output_text' } } };
      yield { type: 'thread.item.updated', item_id: msg, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hello' } };
      yield { type: 'thread.item.updated', item_id: msg, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: ' there!' } };
      yield { type: 'thread.item.updated', item_id: msg, update: { type: 'assistant_message.content_part.done', content_index: 0, content: { annotations: [], text: 'Hello there!', type: 'output_text' } } };
      yield { type: 'thread.item.done', item: { ...base, content: [{ annotations: [], text: 'Hello there!', type: 'output_text' }] } };
      thread.title = 'Greeting';
    };
    expect(await sse(create('Hi'))).toEqual([
      'data: {"type":"thread.created","thread":{"id":"<thr1>","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr1>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"Hi"}],"attachments":[],"inference_options":{}}}',
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.added","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[]}}',
      'data: {"type":"thread.item.updated","item_id":"<msg2>","update":{"type":"assistant_message.content_part.added","content_index":0,"content":{"annotations":[],"text":"","type":"output_text"}}}',
      'data: {"type":"thread.item.updated","item_id":"<msg2>","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Hello"}}',
      'data: {"type":"thread.item.updated","item_id":"<msg2>","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":" there!"}}',
      'data: {"type":"thread.item.updated","item_id":"<msg2>","update":{"type":"assistant_message.content_part.done","content_index":0,"content":{"annotations":[],"text":"Hello there!","type":"output_text"}}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Hello there!","type":"output_text"}]}}',
      'data: {"type":"thread.updated","thread":{"title":"Greeting","id":"<thr1>","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}',
    ]);
  });

  test('a title set between yields produces thread.updated right after the next event, once', async () => {
    server.respondWith = async function* (thread) {
      thread.title = 'Early';
      yield { type: 'progress_update', text: 'Working…' };
      yield { type: 'progress_update', text: 'Still working…' };
    };
    const types = (await sse(create('Hi'))).map((line) => JSON.parse(line.slice(6)).type);
    expect(types).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'progress_update', 'thread.updated', 'progress_update']);
  });
});

describe('9.2 threads.add_user_message with quoted text, tool choice, model and metadata', () => {
  test('matches the captured stream and passes the message to respond', async () => {
    const threadId = await createThread();
    raw.name(threadId, '<thr>');
    server.respondWith = async function* (thread) {
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'Second answer') };
    };
    const lines = await sse({
      type: 'threads.add_user_message',
      params: {
        thread_id: threadId,
        input: { content: [{ type: 'input_text', text: 'And again?' }], attachments: [], inference_options: { tool_choice: { id: 'search' }, model: 'gpt-4.1' }, quoted_text: 'Hello there' },
      },
      metadata: { foo: 'bar' },
    });
    expect(lines).toEqual([
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"And again?"}],"attachments":[],"quoted_text":"Hello there","inference_options":{"tool_choice":{"id":"search"},"model":"gpt-4.1"}}}',
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Second answer","type":"output_text"}]}}',
    ]);
    expect(server.inputs.at(-1)).toMatchObject({ type: 'user_message', quoted_text: 'Hello there' });
  });
});

describe('9.3 listing with pagination', () => {
  test('threads.list pages newest first with an exclusive cursor', async () => {
    const a = await createThread('a');
    const b = await createThread('b');
    const c = await createThread('c');
    await callRaw(server, { type: 'threads.update', params: { thread_id: a, title: 'Greeting' } }, ctx);
    raw.name(a, 'thr_A');
    raw.name(b, 'thr_B');
    raw.name(c, 'thr_C');
    expect(await json({ type: 'threads.list', params: { limit: 2 } })).toBe(
      '{"data":[{"id":"thr_C","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}},{"id":"thr_B","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}],"has_more":true,"after":"thr_B"}',
    );
    expect(await json({ type: 'threads.list', params: { limit: 2, after: b } })).toBe(
      '{"data":[{"title":"Greeting","id":"thr_A","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}],"has_more":false}',
    );
  });

  test('items.list pages ascending with limit 2, and defaults to 20 newest first', async () => {
    server.respondWith = async function* (thread, input) {
      const text = input?.content[0]?.type === 'input_text' && input.content[0].text === 'Hi' ? 'Hello there!' : 'Second answer';
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), text) };
    };
    const threadId = await createThread('Hi');
    await streamText(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('And again?') } }, ctx);
    raw.name(threadId, '<thr>');
    const all = JSON.parse(await callRaw(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, ctx));
    ['<u1>', '<a1>', '<u2>', '<a2>'].forEach((name, i) => raw.name(all.data[i].id, name));
    expect(await json({ type: 'items.list', params: { thread_id: threadId, limit: 2, order: 'asc' } })).toBe(
      '{"data":[{"id":"<u1>","thread_id":"<thr>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"Hi"}],"attachments":[],"inference_options":{}},{"id":"<a1>","thread_id":"<thr>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Hello there!","type":"output_text"}]}],"has_more":true,"after":"<a1>"}',
    );
    const desc = JSON.parse(await json({ type: 'items.list', params: { thread_id: threadId } }));
    expect(desc.data.map((item: { id: string }) => item.id)).toEqual(['<a2>', '<u2>', '<a1>', '<u1>']);
    expect(desc).not.toHaveProperty('after');
    expect(desc.has_more).toBe(false);
  });
});

const listView = {
  type: 'ListView',
  children: [
    { key: 'a', type: 'ListViewItem', children: [{ type: 'Text', value: 'Option A' }], onClickAction: { type: 'pick', payload: { id: 'a' }, handler: 'server', loadingBehavior: 'auto', streaming: true } },
    { key: 'b', type: 'ListViewItem', children: [{ type: 'Text', value: 'Option B' }], onClickAction: { type: 'pick', payload: { id: 'b' }, handler: 'server', loadingBehavior: 'auto', streaming: true } },
  ],
  limit: 5,
} as const;

describe('9.4 a ListView widget with progress, then a server action and a sync action', () => {
  test('matches the captured streams and responses', async () => {
    const threadId = await createThread();
    raw.name(threadId, '<thr>');
    server.respondWith = async function* (thread) {
      yield { type: 'progress_update', icon: 'search', text: 'Searching...' };
      yield { type: 'thread.item.done', item: { id: id('message', thread), thread_id: thread.id, created_at: now(), type: 'widget', widget: listView as never, copy_text: 'Option A, Option B' } };
    };
    const shown = await sse({ type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('show options') } });
    expect(shown).toEqual([
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"show options"}],"attachments":[],"inference_options":{}}}',
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"progress_update","icon":"search","text":"Searching..."}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr>","created_at":"<ts>","type":"widget","widget":{"type":"ListView","children":[{"key":"a","type":"ListViewItem","children":[{"type":"Text","value":"Option A"}],"onClickAction":{"type":"pick","payload":{"id":"a"},"handler":"server","loadingBehavior":"auto","streaming":true}},{"key":"b","type":"ListViewItem","children":[{"type":"Text","value":"Option B"}],"onClickAction":{"type":"pick","payload":{"id":"b"},"handler":"server","loadingBehavior":"auto","streaming":true}}],"limit":5},"copy_text":"Option A, Option B"}}',
    ]);
    const widgetId = JSON.parse(await callRaw(server, { type: 'items.list', params: { thread_id: threadId, limit: 1 } }, ctx)).data[0].id;

    const seen: unknown[] = [];
    server.actionWith = async function* (thread, action, sender) {
      seen.push({ action, sender: sender?.id });
      yield { type: 'thread.item.updated', item_id: sender!.id, update: { type: 'widget.root.updated', widget: { type: 'Card', children: [{ type: 'Text', value: `Picked ${(action.payload as { id: string }).id}` }] } } };
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'Got it') };
    };
    const acted = await sse({ type: 'threads.custom_action', params: { thread_id: threadId, item_id: widgetId, action: { type: 'pick', payload: { id: 'a' } } } });
    expect(acted).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.updated","item_id":"<msg2>","update":{"type":"widget.root.updated","widget":{"type":"Card","children":[{"type":"Text","value":"Picked a"}]}}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg3>","thread_id":"<thr>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Got it","type":"output_text"}]}}',
    ]);
    expect(seen).toEqual([{ action: { type: 'pick', payload: { id: 'a' } }, sender: widgetId }]);
    // widget.root.updated is not persisted.
    const stored = await server.store.loadItem(threadId, widgetId, ctx);
    expect(stored).toMatchObject({ type: 'widget', widget: { type: 'ListView' } });

    server.syncAction = async (_thread, _action, sender) => ({
      updated_item: { ...sender!, widget: { type: 'Card', children: [{ type: 'Text', value: 'Synced' }] } },
    });
    expect(await json({ type: 'threads.sync_custom_action', params: { thread_id: threadId, item_id: widgetId, action: { type: 'pick', payload: { id: 'b' } } } })).toBe(
      '{"updated_item":{"id":"<msg2>","thread_id":"<thr>","created_at":"<ts>","type":"widget","widget":{"type":"Card","children":[{"type":"Text","value":"Synced"}]},"copy_text":"Option A, Option B"}}',
    );
    // Not persisted by the server either.
    expect((await server.store.loadItem(threadId, widgetId, ctx)) as object).toMatchObject({ widget: { type: 'ListView' } });
  });

  test('a sync action that returns nothing answers {}', async () => {
    const threadId = await createThread();
    server.syncAction = async () => ({});
    expect(await json({ type: 'threads.sync_custom_action', params: { thread_id: threadId, action: { type: 'x' } } })).toBe('{}');
  });

  test('a custom action whose item is not a widget yields one error event and no stream_options', async () => {
    const threadId = await createThread();
    const userMessageId = JSON.parse(await callRaw(server, { type: 'items.list', params: { thread_id: threadId } }, ctx)).data[0].id;
    server.actionWith = async function* () {
      throw new Error('must not run');
    };
    expect(await sse({ type: 'threads.custom_action', params: { thread_id: threadId, item_id: userMessageId, action: { type: 'pick' } } })).toEqual([
      'data: {"type":"error","code":"stream.error","allow_retry":false}',
    ]);
  });

  test('the default action() reaches the client as stream_options then a retryable stream.error', async () => {
    const threadId = await createThread();
    expect(await sse({ type: 'threads.custom_action', params: { thread_id: threadId, action: { type: 'pick' } } })).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"error","code":"stream.error","allow_retry":true}',
    ]);
  });
});

describe('9.5 threads.retry_after_item', () => {
  test('deletes everything after the user message without events and re-runs respond with it', async () => {
    let answer = 0;
    server.respondWith = async function* (thread) {
      answer++;
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), answer === 4 ? 'Second answer' : `answer ${answer}`) };
      if (answer === 3) {
        yield { type: 'thread.item.done', item: { id: id('message', thread), thread_id: thread.id, created_at: now(), type: 'widget', widget: { type: 'Card', children: [] } } };
        yield { type: 'thread.item.done', item: { id: id('message', thread), thread_id: thread.id, created_at: now(), type: 'hidden_context_item', content: 'secret' } };
      }
    };
    const threadId = await createThread('Hi');
    await streamText(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('u2') } }, ctx);
    await streamText(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('u3') } }, ctx);
    const before = await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx);
    expect(before.data).toHaveLength(8);
    const u1 = before.data[0]!.id;
    raw.name(threadId, '<thr>');
    const lines = await sse({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: u1 } });
    expect(lines).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Second answer","type":"output_text"}]}}',
    ]);
    expect(server.inputs.at(-1)?.id).toBe(u1);
    const after = await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx);
    expect(after.data.map((item) => item.id)).toEqual([u1, JSON.parse(lines[1]!.slice(6)).item.id.replace('<msg1>', after.data[1]!.id)]);
  });

  test('an unknown item id gives an empty stream and deletes nothing', async () => {
    const threadId = await createThread('Hi');
    expect(await streamText(server, { type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: 'msg_nope' } }, ctx)).toBe('');
    expect((await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx)).data).toHaveLength(1);
  });

  test('a target that is not a user message fails before the stream starts', async () => {
    server.respondWith = async function* (thread) {
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'a') };
    };
    const threadId = await createThread('Hi');
    const items = await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx);
    const lines = await sse({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: items.data[1]!.id } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.slice(6))).toMatchObject({ type: 'error', code: 'stream.error', allow_retry: false });
    expect((await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx)).data).toHaveLength(2);
  });
});

describe('9.6 errors mid-stream', () => {
  test('a generic exception after one item: error event, stream ends, partial message stays saved', async () => {
    server.respondWith = async function* (thread) {
      yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'partial') };
      yield { type: 'thread.item.added', item: assistantMessage(thread, id('message', thread), 'pending') };
      throw new Error('boom');
    };
    const lines = await sse(create('fail please'));
    expect(lines.slice(1)).toEqual([
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr1>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"fail please"}],"attachments":[],"inference_options":{}}}',
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"partial","type":"output_text"}]}}',
      'data: {"type":"thread.item.added","item":{"id":"<msg3>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"pending","type":"output_text"}]}}',
      'data: {"type":"error","code":"stream.error","allow_retry":true}',
    ]);
    const threadId = JSON.parse(lines[0]!.slice(6)).thread.id;
    const stored = (await server.store.loadThreads(10, null, 'desc', ctx)).data[0]!;
    const items = await server.store.loadThreadItems(stored.id, null, 50, 'asc', ctx);
    expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(threadId).toBe('<thr1>');
  });

  test('CustomStreamError carries its message and allow_retry', async () => {
    server.respondWith = async function* () {
      throw new CustomStreamError('Quota exceeded', { allowRetry: false });
    };
    expect((await sse(create('x'))).slice(2)).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"error","code":"custom","message":"Quota exceeded","allow_retry":false}',
    ]);
  });

  test('StreamError("stream.error") is retryable by default', async () => {
    server.respondWith = async function* () {
      throw new StreamError('stream.error');
    };
    expect((await sse(create('x'))).at(-1)).toBe('data: {"type":"error","code":"stream.error","allow_retry":true}');
  });

  test('a thread change made before a failure is still saved and announced after the error', async () => {
    server.respondWith = async function* (thread) {
      yield { type: 'progress_update', text: 'a' };
      thread.status = { type: 'locked', reason: 'Broken' };
      throw new Error('boom');
    };
    const lines = await sse(create('x'));
    expect(lines.slice(-2)).toEqual([
      'data: {"type":"error","code":"stream.error","allow_retry":true}',
      'data: {"type":"thread.updated","thread":{"id":"<thr1>","created_at":"<ts>","status":{"type":"locked","reason":"Broken"},"metadata":{},"items":{"data":[],"has_more":false}}}',
    ]);
  });
});

describe('9.7 client tool round trip', () => {
  test('matches the captured streams; the stored call is completed with the output', async () => {
    let turn = 0;
    server.respondWith = async function* (thread) {
      turn++;
      if (turn === 1) {
        yield { type: 'thread.item.done', item: { id: 'tc_81e01aba', thread_id: thread.id, created_at: now(), type: 'client_tool_call', status: 'pending', call_id: 'call_abc', name: 'get_selection', arguments: { scope: 'page' } } };
      } else {
        yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'You selected 2 nodes.') };
      }
    };
    const first = await sse(create('what is selected?'));
    expect(first).toEqual([
      'data: {"type":"thread.created","thread":{"id":"<thr1>","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr1>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"what is selected?"}],"attachments":[],"inference_options":{}}}',
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.done","item":{"id":"tc_81e01aba","thread_id":"<thr1>","created_at":"<ts>","type":"client_tool_call","status":"pending","call_id":"call_abc","name":"get_selection","arguments":{"scope":"page"}}}',
    ]);
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const second = await sse({ type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { nodes: ['n1', 'n2'] } } });
    expect(second).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"You selected 2 nodes.","type":"output_text"}]}}',
    ]);
    expect(server.inputs.at(-1)).toBeNull();
    const stored = await server.store.loadItem(threadId, 'tc_81e01aba', ctx);
    expect(raw.text(JSON.stringify(stored))).toBe(
      '{"id":"tc_81e01aba","thread_id":"<thr1>","created_at":"<ts>","type":"client_tool_call","status":"completed","call_id":"call_abc","name":"get_selection","arguments":{"scope":"page"},"output":{"nodes":["n1","n2"]}}',
    );
    // A second output has no pending call: one error event instead of the reference's dropped connection.
    const again = await sse({ type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: {} } });
    expect(again).toHaveLength(1);
    expect(JSON.parse(again[0]!.slice(6))).toMatchObject({ type: 'error', code: 'stream.error', allow_retry: false });
  });

  test('older dangling pending calls are removed when the newest one completes', async () => {
    const threadId = await createThread();
    const thread = await server.store.loadThread(threadId, ctx);
    for (const callId of ['call_old', 'call_new']) {
      await server.store.addThreadItem(threadId, { id: `tc_${callId}`, thread_id: threadId, created_at: now(), type: 'client_tool_call', status: 'pending', call_id: callId, name: 'x', arguments: {} }, ctx);
    }
    await streamText(server, { type: 'threads.add_client_tool_output', params: { thread_id: thread.id, result: 1 } }, ctx);
    const items = (await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx)).data;
    expect(items.map((item) => item.id)).toEqual([items[0]!.id, 'tc_call_new']);
    expect(items[1]).toMatchObject({ status: 'completed', output: 1 });
  });
});

describe('9.8 workflow, notice, client effect, hidden item, end of turn, status lock', () => {
  test('matches the captured stream; the hidden item is saved but never sent or listed', async () => {
    server.respondWith = async function* (thread) {
      yield { type: 'notice', level: 'warning', message: 'You are near your **limit**.', title: 'Heads up' };
      yield { type: 'client_effect', name: 'highlight', data: { index: 3 } };
      const wf = id('workflow', thread);
      const workflow = { id: wf, thread_id: thread.id, created_at: now(), type: 'workflow' as const, workflow: { type: 'custom' as const, tasks: [{ status_indicator: 'loading' as const, type: 'custom' as const, title: 'Step 1' }], expanded: false } };
      yield { type: 'thread.item.added', item: workflow };
      yield { type: 'thread.item.updated', item_id: wf, update: { type: 'workflow.task.updated', task_index: 0, task: { status_indicator: 'complete', type: 'custom', title: 'Step 1' } } };
      const search = { status_indicator: 'none' as const, type: 'web_search' as const, title: 'Searching', queries: ['q'], sources: [{ title: 'E', type: 'url' as const, url: 'https://e.com' }] };
      yield { type: 'thread.item.updated', item_id: wf, update: { type: 'workflow.task.added', task_index: 1, task: search } };
      yield {
        type: 'thread.item.done',
        item: { ...workflow, workflow: { type: 'custom', tasks: [{ status_indicator: 'complete', type: 'custom', title: 'Step 1' }, search], summary: { title: 'Did 2 things', icon: 'check' }, expanded: false } },
      };
      yield { type: 'thread.item.done', item: { id: id('message', thread), thread_id: thread.id, created_at: now(), type: 'hidden_context_item', content: 'The user saw the workflow' } };
      yield { type: 'thread.item.done', item: { id: id('message', thread), thread_id: thread.id, created_at: now(), type: 'end_of_turn' } };
      thread.status = { type: 'locked', reason: 'Escalated' };
    };
    const lines = await sse(create('go'));
    expect(lines.slice(2)).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"notice","level":"warning","message":"You are near your **limit**.","title":"Heads up"}',
      'data: {"type":"client_effect","name":"highlight","data":{"index":3}}',
      'data: {"type":"thread.item.added","item":{"id":"<wf1>","thread_id":"<thr1>","created_at":"<ts>","type":"workflow","workflow":{"type":"custom","tasks":[{"status_indicator":"loading","type":"custom","title":"Step 1"}],"expanded":false}}}',
      'data: {"type":"thread.item.updated","item_id":"<wf1>","update":{"type":"workflow.task.updated","task_index":0,"task":{"status_indicator":"complete","type":"custom","title":"Step 1"}}}',
      'data: {"type":"thread.item.updated","item_id":"<wf1>","update":{"type":"workflow.task.added","task_index":1,"task":{"status_indicator":"none","type":"web_search","title":"Searching","queries":["q"],"sources":[{"title":"E","type":"url","url":"https://e.com"}]}}}',
      'data: {"type":"thread.item.done","item":{"id":"<wf1>","thread_id":"<thr1>","created_at":"<ts>","type":"workflow","workflow":{"type":"custom","tasks":[{"status_indicator":"complete","type":"custom","title":"Step 1"},{"status_indicator":"none","type":"web_search","title":"Searching","queries":["q"],"sources":[{"title":"E","type":"url","url":"https://e.com"}]}],"summary":{"title":"Did 2 things","icon":"check"},"expanded":false}}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"end_of_turn"}}',
      'data: {"type":"thread.updated","thread":{"id":"<thr1>","created_at":"<ts>","status":{"type":"locked","reason":"Escalated"},"metadata":{},"items":{"data":[],"has_more":false}}}',
    ]);
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const stored = await server.store.loadThreadItems(threadId, null, 50, 'asc', ctx);
    expect(stored.data.map((item) => item.type)).toEqual(['user_message', 'workflow', 'hidden_context_item', 'end_of_turn']);
    const listed = JSON.parse(await callRaw(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, ctx));
    expect(listed.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'workflow', 'end_of_turn']);
    const full = JSON.parse(await callRaw(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, ctx));
    expect(full.status).toEqual({ type: 'locked', reason: 'Escalated' });
    expect(full.items.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'workflow', 'end_of_turn']);
  });

  test('a pending workflow copy is isolated from the handler mutating its own item', async () => {
    server.respondWith = async function* (thread) {
      const item = { id: 'workflow-item', thread_id: thread.id, created_at: now(), type: 'workflow' as const, workflow: { type: 'custom' as const, tasks: [] as never[], expanded: false } };
      yield { type: 'thread.item.added', item };
      const task = { status_indicator: 'none' as const, type: 'custom' as const, title: 'foo', content: 'bar' };
      yield { type: 'thread.item.updated', item_id: item.id, update: { type: 'workflow.task.added', task_index: 0, task } };
      (item.workflow.tasks as unknown[]).push(task);
      yield { type: 'thread.item.done', item };
    };
    const lines = await sse(create('x'));
    expect(JSON.parse(lines.at(-1)!.slice(6)).item.workflow.tasks).toHaveLength(1);
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    expect(((await server.store.loadItem(threadId, 'workflow-item', ctx)) as { workflow: { tasks: unknown[] } }).workflow.tasks).toHaveLength(1);
  });
});

class TestAttachmentStore extends AttachmentStore<Ctx> {
  deleted: string[] = [];
  async deleteAttachment(attachmentId: string): Promise<void> {
    this.deleted.push(attachmentId);
  }
  override async createAttachment(input: AttachmentCreateParams, context: Ctx): Promise<Attachment> {
    const attachmentId = this.generateAttachmentId(input.mime_type, context);
    const image = input.mime_type.startsWith('image/');
    const base = {
      id: attachmentId,
      name: input.name,
      mime_type: input.mime_type,
      upload_descriptor: { url: `https://files.example.com/${attachmentId}/upload`, method: image ? ('PUT' as const) : ('POST' as const), headers: (image ? { 'X-Token': 'abc' } : {}) as Record<string, string> },
      metadata: { secret: 'never-serialized' },
    };
    return image ? { ...base, type: 'image', preview_url: `https://files.example.com/${attachmentId}/preview` } : { ...base, type: 'file' };
  }
}

describe('9.9 two-phase attachment create and use', () => {
  test('matches the captured responses; metadata never leaves the server', async () => {
    const files = new TestAttachmentStore();
    server = new ScriptedServer<Ctx>(undefined, files);
    const image = await json({ type: 'attachments.create', params: { name: 'cat.png', size: 1234, mime_type: 'image/png' } });
    expect(image).toBe(
      '{"id":"<atc1>","name":"cat.png","mime_type":"image/png","upload_descriptor":{"url":"https://files.example.com/<atc1>/upload","method":"PUT","headers":{"X-Token":"abc"}},"type":"image","preview_url":"https://files.example.com/<atc1>/preview"}',
    );
    const file = await json({ type: 'attachments.create', params: { name: 'doc.pdf', size: 10, mime_type: 'application/pdf' } });
    expect(file).toBe(
      '{"id":"<atc2>","name":"doc.pdf","mime_type":"application/pdf","upload_descriptor":{"url":"https://files.example.com/<atc2>/upload","method":"POST","headers":{}},"type":"file"}',
    );
  });

  test('a user message embeds the full attachments with thread_id, and both records are re-saved', async () => {
    const files = new TestAttachmentStore();
    server = new ScriptedServer<Ctx>(undefined, files);
    const image = JSON.parse(await callRaw(server, { type: 'attachments.create', params: { name: 'cat.png', size: 1234, mime_type: 'image/png' } }, ctx));
    const file = JSON.parse(await callRaw(server, { type: 'attachments.create', params: { name: 'doc.pdf', size: 10, mime_type: 'application/pdf' } }, ctx));
    raw.name(image.id, 'atc_973ce73e');
    raw.name(file.id, 'atc_4ece429b');
    const lines = await sse(create('with attachment', { attachments: [image.id, file.id] }));
    const urlFor = (attachmentId: string, kind: string) => `https://files.example.com/${attachmentId}/${kind}`;
    expect(lines[1]).toBe(
      raw.text(
        'data: {"type":"thread.item.done","item":{"id":"<msg1>","thread_id":"<thr1>","created_at":"<ts>","type":"user_message","content":[{"type":"input_text","text":"with attachment"}],' +
          `"attachments":[{"id":"atc_973ce73e","name":"cat.png","mime_type":"image/png","upload_descriptor":{"url":"${urlFor(image.id, 'upload')}","method":"PUT","headers":{"X-Token":"abc"}},"thread_id":"<thr1>","type":"image","preview_url":"${urlFor(image.id, 'preview')}"},` +
          `{"id":"atc_4ece429b","name":"doc.pdf","mime_type":"application/pdf","upload_descriptor":{"url":"${urlFor(file.id, 'upload')}","method":"POST","headers":{}},"thread_id":"<thr1>","type":"file"}],` +
          '"inference_options":{}}}',
      ),
    );
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    expect((await server.store.loadAttachment(image.id, ctx)).thread_id).toBe(threadId);
    expect((await server.store.loadAttachment(file.id, ctx)).metadata).toEqual({ secret: 'never-serialized' });
    expect(await json({ type: 'attachments.delete', params: { attachment_id: file.id } })).toBe('{}');
    expect(files.deleted).toEqual([file.id]);
    await expect(server.store.loadAttachment(file.id, ctx)).rejects.toThrow(/not found/);
  });

  test('attachments.* without an AttachmentStore is refused with an actionable error', async () => {
    await expect(server.process(JSON.stringify({ type: 'attachments.create', params: { name: 'a', size: 1, mime_type: 'text/plain' } }), ctx)).rejects.toThrow(/No AttachmentStore is configured/);
  });
});

describe('9.10 structured input round trip', () => {
  test('answers are applied, truncated for single choice, omitted answers skipped; then respond(null) runs', async () => {
    let turn = 0;
    server.respondWith = async function* (thread) {
      turn++;
      if (turn === 1) {
        yield {
          type: 'thread.item.done',
          item: {
            id: 'si_1', thread_id: thread.id, created_at: now(), type: 'structured_input', status: 'pending',
            inputs: [
              { id: 'prio', question: 'Priority?', type: 'multiple_choice', options: [{ value: 'Low' }, { value: 'High' }], multiple: false },
              { id: 'notes', question: 'Notes?', type: 'freeform', description: 'Optional' },
            ],
          },
        };
      } else {
        yield { type: 'thread.item.done', item: assistantMessage(thread, id('message', thread), 'Thanks') };
      }
    };
    const first = await sse(create('ask me'));
    expect(first.at(-1)).toBe(
      'data: {"type":"thread.item.done","item":{"id":"si_1","thread_id":"<thr1>","created_at":"<ts>","type":"structured_input","status":"pending","inputs":[{"id":"prio","question":"Priority?","type":"multiple_choice","options":[{"value":"Low"},{"value":"High"}],"multiple":false},{"id":"notes","question":"Notes?","type":"freeform","description":"Optional"}]}}',
    );
    const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
    const lines = await sse({ type: 'threads.add_structured_input', params: { thread_id: threadId, item_id: 'si_1', input: { status: 'answered', answers: { prio: { values: ['High', 'Low'] }, bogus: { values: ['x'] } } } } });
    expect(lines).toEqual([
      'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}',
      'data: {"type":"thread.item.replaced","item":{"id":"si_1","thread_id":"<thr1>","created_at":"<ts>","type":"structured_input","status":"answered","inputs":[{"id":"prio","question":"Priority?","answer":{"values":["High"],"skipped":false},"type":"multiple_choice","options":[{"value":"Low"},{"value":"High"}],"multiple":false},{"id":"notes","question":"Notes?","answer":{"values":[],"skipped":true},"type":"freeform","description":"Optional"}]}}',
      'data: {"type":"thread.item.done","item":{"id":"<msg2>","thread_id":"<thr1>","created_at":"<ts>","type":"assistant_message","content":[{"annotations":[],"text":"Thanks","type":"output_text"}]}}',
    ]);
    expect(server.inputs.at(-1)).toBeNull();
    expect(await server.store.loadItem(threadId, 'si_1', ctx)).toMatchObject({ status: 'answered' });
    // Answering again: the item is no longer pending.
    const again = await sse({ type: 'threads.add_structured_input', params: { thread_id: threadId, item_id: 'si_1', input: { status: 'skipped' } } });
    expect(JSON.parse(again[0]!.slice(6))).toMatchObject({ type: 'error', allow_retry: false, message: expect.stringContaining('not pending') });
  });

  test('a skipped submission skips every question', async () => {
    server.respondWith = async function* (thread, input) {
      if (input) yield { type: 'thread.item.done', item: { id: 'si_2', thread_id: thread.id, created_at: now(), type: 'structured_input', status: 'pending', inputs: [{ id: 'q', question: 'Q?', type: 'multiple_choice', options: [{ value: 'a' }], multiple: true }] } };
    };
    const threadId = await createThread();
    const lines = await sse({ type: 'threads.add_structured_input', params: { thread_id: threadId, item_id: 'si_2', input: { status: 'skipped', answers: { q: { values: ['a'] } } } } });
    expect(JSON.parse(lines[1]!.slice(6)).item).toMatchObject({ status: 'skipped', inputs: [{ answer: { values: [], skipped: true } }] });
  });
});

describe('9.11 other non-streaming responses', () => {
  test('feedback, delete, transcribe and update', async () => {
    const threadId = await createThread();
    raw.name(threadId, '<thr>');
    const feedback: unknown[] = [];
    server.addFeedback = async (tid, itemIds, kind) => {
      feedback.push([tid, itemIds, kind]);
    };
    expect(await json({ type: 'items.feedback', params: { thread_id: threadId, item_ids: ['msg_1'], kind: 'positive' } })).toBe('{}');
    expect(feedback).toEqual([[threadId, ['msg_1'], 'positive']]);

    const heard: unknown[] = [];
    server.transcribe = async (audio) => {
      heard.push({ bytes: audio.data.length, media: audio.media_type, raw: audio.mime_type });
      return { text: 'hello' };
    };
    expect(await json({ type: 'input.transcribe', params: { audio_base64: 'YWJjZGVm', mime_type: 'audio/webm;codecs=opus' } })).toBe('{"text":"hello"}');
    expect(heard).toEqual([{ bytes: 6, media: 'audio/webm', raw: 'audio/webm;codecs=opus' }]);

    expect(await json({ type: 'threads.update', params: { thread_id: threadId, title: 'Renamed' } })).toBe(
      '{"title":"Renamed","id":"<thr>","created_at":"<ts>","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}',
    );
    expect(await json({ type: 'threads.delete', params: { thread_id: threadId } })).toBe('{}');
    await expect(server.store.loadThread(threadId, ctx)).rejects.toThrow(/not found/);
  });

  test('transcribe and sync actions that are not implemented fail before responding', async () => {
    await expect(server.process(JSON.stringify({ type: 'input.transcribe', params: { audio_base64: '', mime_type: 'audio/ogg' } }), ctx)).rejects.toThrow(/transcribe\(\) must be overridden/);
  });
});

describe('stream events pass through exactly', () => {
  test('every event type and update type serializes as captured in section 3.2', async () => {
    const events: ThreadStreamEvent[] = [
      { type: 'thread.item.updated', item_id: 'x', update: { type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 0, annotation: { type: 'annotation', source: { title: 'A', type: 'url', url: 'https://a' }, index: 5 } } },
      { type: 'thread.item.updated', item_id: 'x', update: { type: 'widget.streaming_text.value_delta', component_id: 'body', delta: ' Harry,', done: false } },
      { type: 'thread.item.updated', item_id: 'x', update: { type: 'widget.component.updated', component_id: 'c1', component: { type: 'Card', children: [] } as never } },
      { type: 'thread.item.updated', item_id: 'x', update: { type: 'generated_image.updated', image: { id: 'ig_1', url: 'data:image/png;base64,AAA' }, progress: 0.33 } },
      { type: 'thread.item.removed', item_id: 'x' },
      { type: 'progress_update', text: 'Working…' },
      { type: 'client_effect', name: 'refresh', data: {} },
      { type: 'error', code: 'custom', message: 'Quota exceeded', allow_retry: false },
    ];
    server.respondWith = async function* () {
      yield* events;
    };
    const lines = await sse(create('x'));
    expect(lines.slice(3)).toEqual([
      'data: {"type":"thread.item.updated","item_id":"x","update":{"type":"assistant_message.content_part.annotation_added","content_index":0,"annotation_index":0,"annotation":{"type":"annotation","source":{"title":"A","type":"url","url":"https://a"},"index":5}}}',
      'data: {"type":"thread.item.updated","item_id":"x","update":{"type":"widget.streaming_text.value_delta","component_id":"body","delta":" Harry,","done":false}}',
      'data: {"type":"thread.item.updated","item_id":"x","update":{"type":"widget.component.updated","component_id":"c1","component":{"type":"Card","children":[]}}}',
      'data: {"type":"thread.item.updated","item_id":"x","update":{"type":"generated_image.updated","image":{"id":"ig_1","url":"data:image/png;base64,AAA"},"progress":0.33}}',
      'data: {"type":"thread.item.removed","item_id":"x"}',
      'data: {"type":"progress_update","text":"Working…"}',
      'data: {"type":"client_effect","name":"refresh","data":{}}',
      'data: {"type":"error","code":"custom","message":"Quota exceeded","allow_retry":false}',
    ]);
  });
});
