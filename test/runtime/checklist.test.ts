/**
 * Spec 9.12: the conformance checklist, one test (or more) per invariant.
 * Invariants 2, 3, 9, 10 and 11 are also pinned byte for byte by golden.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { now, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { call, parseFrames, stream, streamText, userInput } from '../support/chatkit.js';
import { ScriptedServer, assistantMessage } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};

async function newThread(server: ScriptedServer<Ctx>, text = 'Hi'): Promise<string> {
  const events = await stream(server, { type: 'threads.create', params: { input: userInput(text) } }, ctx);
  return (events[0] as Extract<ThreadStreamEvent, { type: 'thread.created' }>).thread.id;
}

test('1. every frame is exactly `data: {json}` followed by a blank line, with no other SSE fields', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_multi', 'line one\nline two\r\n"quoted" é 👋') };
  };
  const text = await streamText(server, { type: 'threads.create', params: { input: userInput('x\ny') } }, ctx);
  expect(text).toMatch(/^(data: \{[^\n]*\}\n\n)+$/);
  expect(text).toContain('é 👋'); // UTF-8 written raw, not \u escapes
  expect(parseFrames(text)).toHaveLength(4);
});

describe('4. the first events of each streaming request', () => {
  test('add_user_message starts with the user message then stream_options; the others with stream_options', async () => {
    const server = new ScriptedServer<Ctx>();
    server.respondWith = async function* (thread, input) {
      if (input?.content[0]?.type === 'input_text' && input.content[0].text === 'tool') {
        yield { type: 'thread.item.done', item: { id: 'tc_1', thread_id: thread.id, created_at: now(), type: 'client_tool_call', status: 'pending', call_id: 'c', name: 'n', arguments: {} } };
      }
      if (input?.content[0]?.type === 'input_text' && input.content[0].text === 'ask') {
        yield { type: 'thread.item.done', item: { id: 'si_1', thread_id: thread.id, created_at: now(), type: 'structured_input', status: 'pending', inputs: [] } };
      }
    };
    server.actionWith = async function* () {};
    const threadId = await newThread(server);
    const types = async (body: unknown) => (await stream(server, body, ctx)).map((event) => event.type).slice(0, 2);
    const userMessageId = (await call(server, { type: 'items.list', params: { thread_id: threadId } }, ctx)).data[0].id;

    expect(await types({ type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('tool') } })).toEqual(['thread.item.done', 'stream_options']);
    expect(await types({ type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: {} } })).toEqual(['stream_options']);
    await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('ask') } }, ctx);
    expect(await types({ type: 'threads.add_structured_input', params: { thread_id: threadId, item_id: 'si_1', input: {} } })).toEqual(['stream_options', 'thread.item.replaced']);
    expect(await types({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: userMessageId } })).toEqual(['stream_options']);
    expect(await types({ type: 'threads.custom_action', params: { thread_id: threadId, action: { type: 'a' } } })).toEqual(['stream_options']);
  });
});

test('5. done, replaced and removed are reflected in the next list; added and updated alone store nothing', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    yield { type: 'thread.item.added', item: assistantMessage(thread, 'msg_only_added', 'draft') };
    yield { type: 'thread.item.updated', item_id: 'msg_only_added', update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: '!' } };
    yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_done', 'kept') };
    yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_removed', 'gone soon') };
    yield { type: 'thread.item.removed', item_id: 'msg_removed' };
    yield { type: 'thread.item.replaced', item: assistantMessage(thread, 'msg_done', 'replaced') };
    yield { type: 'thread.item.replaced', item: assistantMessage(thread, 'msg_new_by_replace', 'upserted') };
  };
  const threadId = await newThread(server);
  const listed = await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, ctx);
  expect(listed.data.map((item: { id: string }) => item.id).slice(1)).toEqual(['msg_done', 'msg_new_by_replace']);
  expect(listed.data[1].content[0].text).toBe('replaced');
  const full = await call(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, ctx);
  expect(full.items.data).toEqual(listed.data);
});

test('6. hidden items never appear on the wire, in items.list or in threads.get_by_id', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    yield { type: 'thread.item.done', item: { id: 'msg_hidden', thread_id: thread.id, created_at: now(), type: 'hidden_context_item', content: { any: 'shape' } } };
    yield { type: 'thread.item.done', item: { id: 'shcx_hidden', thread_id: thread.id, created_at: now(), type: 'sdk_hidden_context', content: 'note' } };
    yield { type: 'thread.item.done', item: assistantMessage(thread, 'msg_visible', 'hi') };
  };
  const text = await streamText(server, { type: 'threads.create', params: { input: userInput('x') } }, ctx);
  expect(text).not.toContain('hidden');
  const threadId = parseFrames(text)[0]!.type === 'thread.created' ? (parseFrames(text)[0] as { thread: { id: string } }).thread.id : '';
  expect((await server.store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data).toHaveLength(4);
  for (const body of [
    { type: 'items.list', params: { thread_id: threadId } },
    { type: 'items.list', params: { thread_id: threadId, order: 'asc', limit: 1, after: (await server.store.loadThreadItems(threadId, null, 1, 'asc', ctx)).data[0]!.id } },
    { type: 'threads.get_by_id', params: { thread_id: threadId } },
  ]) {
    // The page's `after` cursor may name a hidden item (as in the reference); the rows never do.
    const result = await call(server, body, ctx);
    expect(JSON.stringify(result.data ?? result.items.data)).not.toContain('hidden');
  }
});

test('7 and 12. metadata changes produce thread.updated; lists reflect them; server metadata never leaks', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    thread.metadata = { secret: 'server-only', previous_response_id: 'resp_1' };
    yield { type: 'progress_update', text: 'a' };
    thread.title = 'Named';
    thread.allowed_image_domains = ['cdn.example.com'];
    yield { type: 'progress_update', text: 'b' };
  };
  const events = await stream(server, { type: 'threads.create', params: { input: userInput('x') } }, ctx);
  const updates = events.filter((event) => event.type === 'thread.updated');
  expect(updates).toHaveLength(2);
  expect(JSON.stringify(events)).not.toContain('server-only');
  expect((updates[1] as { thread: object }).thread).toMatchObject({ title: 'Named', allowed_image_domains: ['cdn.example.com'], metadata: {} });
  const threadId = (events[0] as { thread: { id: string } }).thread.id;
  expect((await server.store.loadThread(threadId, ctx)).metadata).toEqual({ secret: 'server-only', previous_response_id: 'resp_1' });
  const listed = await call(server, { type: 'threads.list', params: {} }, ctx);
  expect(listed.data[0]).toMatchObject({ title: 'Named', metadata: {} });
  const full = await call(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, ctx);
  expect(full).toMatchObject({ title: 'Named', metadata: {}, allowed_image_domains: ['cdn.example.com'] });
  const renamed = await call(server, { type: 'threads.update', params: { thread_id: threadId, title: 'Again' } }, ctx);
  expect(renamed.metadata).toEqual({});
});

test('7b. an unchanged thread never produces thread.updated, even if rewritten with other key order', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    thread.status = { type: 'active' };
    thread.metadata = { ...thread.metadata };
    yield { type: 'progress_update', text: 'a' };
  };
  const events = await stream(server, { type: 'threads.create', params: { input: userInput('x') } }, ctx);
  expect(events.map((event) => event.type)).not.toContain('thread.updated');
});

describe('8. pagination', () => {
  test('threads.list and items.list default to 20, newest first; pages chain through `after` without gaps', async () => {
    const server = new ScriptedServer<Ctx>();
    server.respondWith = async function* () {};
    const threadIds: string[] = [];
    for (let i = 0; i < 25; i++) threadIds.push(await newThread(server, `t${i}`));
    const first = await call(server, { type: 'threads.list', params: {} }, ctx);
    expect(first.data).toHaveLength(20);
    expect(first.has_more).toBe(true);
    expect(first.after).toBe(first.data[19].id);
    expect(first.data[0].id).toBe(threadIds[24]);
    const second = await call(server, { type: 'threads.list', params: { after: first.after, limit: 0 } }, ctx);
    expect(second.data.map((t: { id: string }) => t.id)).toEqual(threadIds.slice(0, 5).reverse());
    expect(second.has_more).toBe(false);
    expect(second).not.toHaveProperty('after');

    const threadId = threadIds[0]!;
    for (let i = 0; i < 24; i++) {
      await server.store.addThreadItem(threadId, assistantMessage({ id: threadId } as never, `msg_${String(i).padStart(3, '0')}`, `m${i}`), ctx);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await call(server, { type: 'items.list', params: { thread_id: threadId, limit: 7, order: 'asc', after } }, ctx);
      seen.push(...result.data.map((item: { id: string }) => item.id));
      expect(result.has_more).toBe(seen.length < 25);
      if (!result.has_more) {
        expect(result).not.toHaveProperty('after');
        break;
      }
      after = result.after;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const desc = await call(server, { type: 'items.list', params: { thread_id: threadId } }, ctx);
    expect(desc.data.map((item: { id: string }) => item.id)).toEqual(seen.toReversed().slice(0, 20));
  });
});

test('13. null typed fields are omitted at every depth, free-form data keeps its nulls, and created_at is ISO-8601 UTC', async () => {
  const server = new ScriptedServer<Ctx>();
  server.respondWith = async function* (thread) {
    yield { type: 'progress_update', icon: null, text: 'x' };
    yield { type: 'notice', level: 'info', message: 'm', title: null };
    yield { type: 'client_effect', name: 'e', data: { keep: [1, null], drop: null, nested: { drop: null, keep: false } } };
    yield { type: 'thread.item.done', item: { id: 'msg_w', thread_id: thread.id, created_at: now(), type: 'widget', widget: { type: 'Card', children: [], size: null } as never, copy_text: null } };
  };
  const text = await streamText(server, { type: 'threads.create', params: { input: { ...userInput('x'), quoted_text: null, inference_options: { model: null, tool_choice: null } } } }, ctx);
  const frames = parseFrames(text);
  // Typed fields that are null are omitted; inside a free-form value (client_effect data) nulls are data, as in the reference.
  expect(text.replace(/"data":\{"keep".*?\}\}\}/, '')).not.toMatch(/":null/);
  expect(frames[1]).toMatchObject({ item: { inference_options: {} } });
  expect(frames[1]).not.toHaveProperty('item.quoted_text');
  expect(frames.find((f) => f.type === 'client_effect')).toEqual({ type: 'client_effect', name: 'e', data: { keep: [1, null], drop: null, nested: { drop: null, keep: false } } });
  for (const frame of frames) {
    const createdAt = (frame as { item?: { created_at: string }; thread?: { created_at: string } }).item?.created_at ?? (frame as { thread?: { created_at: string } }).thread?.created_at;
    if (createdAt) expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }
});

test('the request context reaches every hook and store call untouched', async () => {
  const seen = new Set<unknown>();
  const context = { userId: 'u1' };
  const server = new ScriptedServer<typeof context>();
  const store = server.store as unknown as Record<string, unknown>;
  for (const method of ['loadThread', 'saveThread', 'loadThreadItems', 'addThreadItem', 'saveItem', 'loadItem', 'loadThreads']) {
    const original = (store[method] as (...args: unknown[]) => unknown).bind(server.store);
    store[method] = (...args: unknown[]) => {
      seen.add(args.at(-1));
      return original(...args);
    };
  }
  server.respondWith = async function* (_thread, _input, ctxSeen) {
    seen.add(ctxSeen);
  };
  const events = await stream(server, { type: 'threads.create', params: { input: userInput('x') } }, context);
  const threadId = (events[0] as { thread: { id: string } }).thread.id;
  await call(server, { type: 'threads.get_by_id', params: { thread_id: threadId } }, context);
  expect([...seen]).toEqual([context]);
});
