/**
 * User B sends every one of the 16 request types at user A's thread, items
 * and attachments: each request that names one of them is a 404, and A's
 * data is unchanged afterwards.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';
import { MemoryStore, REQUEST_TYPES, type ThreadItem } from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { post, readAll, startApp, userInput, type Running, DOORS, headerOf, starterFor } from './support.js';

type Context = { userId: string };
const A = { 'x-user': 'alice' };
const B = { 'x-user': 'bob' };
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

let running: Running;
let parent: string;
let store: MemoryStore<Context>;
let threadId: string;
let userMessageId: string;
let attachment: { id: string; preview_url: string; upload_descriptor?: unknown };
const WIDGET_ID = 'msg_widget000000000000000000';
const FORM_ID = 'msg_form00000000000000000000';

async function snapshotOfA() {
  const context = { userId: 'alice' };
  return {
    threads: await store.loadThreads(100, null, 'asc', context),
    items: await store.loadThreadItems(threadId, null, 100, 'asc', context),
    attachment: await store.loadAttachment(attachment.id, context),
    bytes: await readFile(join(parent, attachment.id)),
  };
}

describe.each(DOORS)('through the %s front door', (door) => {
  const startApp = starterFor(door);

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'chatkit-isolation-'));
    store = new MemoryStore<Context>({ ownerOf: (context) => context.userId });
    const server = new ScriptedServer<Context>(store, new FileAttachmentStore({ dir: parent }));
    server.transcribe = async () => ({ text: 'transcribed' });
    server.syncAction = async () => ({});
    server.actionWith = async function* () {};
    running = await startApp({
      server,
      auth: { verify: (request: { headers: unknown }) => { const user = headerOf(request, 'x-user'); return user ? { userId: user } : null; } },
    });

    // A: an attachment with its bytes, a thread that uses it, a widget and a pending structured input.
    attachment = await (await post(running.endpoint, { type: 'attachments.create', params: { name: 'cat.png', size: PNG.length, mime_type: 'image/png' } }, A)).json();
    expect((await fetch(`${running.url}${running.chatkit.uploadPath}/${attachment.id}`, { method: 'PUT', body: PNG, headers: A })).status).toBe(200);
    const events = await readAll(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('hi', [attachment.id]) } }, A));
    threadId = events[0]!.thread.id;
    userMessageId = events[1]!.item.id;
    const context = { userId: 'alice' };
    const now = new Date().toISOString();
    const widget = { id: WIDGET_ID, thread_id: threadId, created_at: now, type: 'widget', widget: { type: 'Card', children: [] } } as unknown as ThreadItem;
    const form = { id: FORM_ID, thread_id: threadId, created_at: now, type: 'structured_input', status: 'pending', inputs: [] } as unknown as ThreadItem;
    await store.addThreadItem(threadId, widget, context);
    await store.addThreadItem(threadId, form, context);
  });
  afterAll(async () => {
    await running.close();
    await rm(parent, { recursive: true, force: true });
  });

  /** Each request type as B would send it at A's data; `null` status = the request names nothing of A's. */
  function matrix(): Record<(typeof REQUEST_TYPES)[number], { params: Record<string, unknown>; status: number }> {
    return {
      'threads.create': { params: { input: userInput('steal', [attachment.id]) }, status: 404 },
      'threads.add_user_message': { params: { thread_id: threadId, input: userInput('x') }, status: 404 },
      'threads.add_client_tool_output': { params: { thread_id: threadId, result: {} }, status: 404 },
      'threads.add_structured_input': { params: { thread_id: threadId, item_id: FORM_ID, input: { answers: {} } }, status: 404 },
      'threads.retry_after_item': { params: { thread_id: threadId, item_id: userMessageId }, status: 404 },
      'threads.custom_action': { params: { thread_id: threadId, item_id: WIDGET_ID, action: { type: 'x' } }, status: 404 },
      'threads.get_by_id': { params: { thread_id: threadId }, status: 404 },
      'threads.list': { params: {}, status: 200 },
      'items.list': { params: { thread_id: threadId }, status: 404 },
      'items.feedback': { params: { thread_id: threadId, item_ids: [userMessageId], kind: 'negative' }, status: 404 },
      'attachments.create': { params: { name: 'b.png', size: 1, mime_type: 'image/png' }, status: 200 },
      'attachments.delete': { params: { attachment_id: attachment.id }, status: 404 },
      'threads.update': { params: { thread_id: threadId, title: 'pwned' }, status: 404 },
      'threads.delete': { params: { thread_id: threadId }, status: 404 },
      'input.transcribe': { params: { audio_base64: 'AAAA', mime_type: 'audio/webm' }, status: 200 },
      'threads.sync_custom_action': { params: { thread_id: threadId, item_id: WIDGET_ID, action: { type: 'x' } }, status: 404 },
    };
  }

  test('user B gets 404 for every request naming A’s thread, items or attachments; A’s data is unchanged', async () => {
    const before = await snapshotOfA();
    const cases = matrix();
    expect(Object.keys(cases).sort()).toEqual([...REQUEST_TYPES].sort());
    const outcomes: Record<string, number> = {};
    for (const [type, { params }] of Object.entries(cases)) {
      const response = await post(running.endpoint, { type, params }, B);
      outcomes[type] = response.status;
      const text = await response.text();
      if (response.status === 404) expect(JSON.parse(text).error.code).toBe('not_found');
      // B may own threads of its own (threads.create saves the thread before it resolves attachments), never A's.
      if (type === 'threads.list') expect(JSON.parse(text).data.map((t: { id: string }) => t.id)).not.toContain(threadId);
      expect(text).not.toContain('cat.png');
    }
    expect(outcomes).toEqual(Object.fromEntries(Object.entries(cases).map(([type, c]) => [type, c.status])));

    // The upload routes are isolated too.
    const uploadUrl = `${running.url}${running.chatkit.uploadPath}/${attachment.id}`;
    expect((await fetch(uploadUrl, { method: 'PUT', body: PNG, headers: B })).status).toBe(404);
    expect((await fetch(`${uploadUrl}/preview`, { headers: B })).status).toBe(404);

    expect(await snapshotOfA()).toEqual(before);
    // And A still sees everything.
    expect((await post(running.endpoint, { type: 'threads.get_by_id', params: { thread_id: threadId } }, A)).status).toBe(200);
  });
});
