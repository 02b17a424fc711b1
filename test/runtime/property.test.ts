/**
 * Property-based: thousands of random and mutated request bodies. `process()`
 * only ever throws the documented request errors, streams only well-formed
 * frames, and leaves the store consistent.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  ChatKitRequestError,
  InvalidStateError,
  NotFoundError,
  NotImplementedError,
  REQUEST_TYPES,
  StreamingResult,
  now,
  type ThreadItem,
} from '../../src/runtime/index.js';
import { parseFrames } from '../support/chatkit.js';
import { ScriptedServer, assistantMessage } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};
const decoder = new TextDecoder();

const server = new ScriptedServer<Ctx>();
let turn = 0;
server.respondWith = async function* (thread) {
  turn++;
  const id = server.store.generateItemId('message', thread, ctx);
  yield { type: 'thread.item.added', item: assistantMessage(thread, id, '') };
  yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'ok' } };
  yield { type: 'thread.item.done', item: assistantMessage(thread, id, 'ok') };
  if (turn % 3 === 0) {
    yield { type: 'thread.item.done', item: { id: server.store.generateItemId('tool_call', thread, ctx), thread_id: thread.id, created_at: now(), type: 'client_tool_call', status: 'pending', call_id: `call_${turn}`, name: 'pick', arguments: {} } };
  }
  if (turn % 5 === 0) throw new Error('scripted failure');
  if (turn % 7 === 0) thread.title = `title ${turn}`;
};
server.actionWith = async function* (thread) {
  yield { type: 'thread.item.done', item: assistantMessage(thread, server.store.generateItemId('message', thread, ctx), 'acted') };
};
server.syncAction = async () => ({});

const knownThreadIds: string[] = [];
const knownItemIds: string[] = [];

const EXPECTED_ERRORS = [ChatKitRequestError, NotFoundError, InvalidStateError, NotImplementedError];

async function run(body: string): Promise<void> {
  let result;
  try {
    result = await server.process(body, ctx);
  } catch (error) {
    if (!EXPECTED_ERRORS.some((kind) => error instanceof kind)) throw error;
    return;
  }
  if (result instanceof StreamingResult) {
    let text = '';
    for await (const chunk of result) text += decoder.decode(chunk);
    for (const event of parseFrames(text)) {
      if (event.type === 'thread.created') knownThreadIds.push(event.thread.id);
      if (event.type === 'thread.item.done') knownItemIds.push(event.item.id);
    }
  } else {
    const parsed: unknown = JSON.parse(result.json);
    expect(typeof parsed).toBe('object');
    expect(typedNullFields(parsed)).toEqual([]);
  }
}

/** Paths of null object fields outside free-form values (where the reference keeps nulls as data). */
function typedNullFields(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((entry, index) => typedNullFields(entry, `${path}[${index}]`));
  const type = (value as { type?: unknown }).type;
  const freeForm = new Set(
    type === 'client_tool_call' ? ['arguments', 'output'] : type === 'input_tag' || type === 'entity' || type === 'client_effect' ? ['data'] : [],
  );
  freeForm.add('payload');
  return Object.entries(value).flatMap(([key, entry]) => {
    if (freeForm.has(key)) return [];
    if (entry === null) return [`${path}.${key}`];
    return typedNullFields(entry, `${path}.${key}`);
  });
}

const anyId = fc.oneof(
  fc.constantFrom('thr_missing', 'msg_missing', ''),
  fc.string(),
  fc.nat().map((n) => knownThreadIds[n % Math.max(1, knownThreadIds.length)] ?? 'thr_none'),
  fc.nat().map((n) => knownItemIds[n % Math.max(1, knownItemIds.length)] ?? 'msg_none'),
);

const input = fc.record({
  content: fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('input_text'), text: fc.string() }),
      fc.record({ type: fc.constant('input_tag'), id: fc.string(), text: fc.string(), data: fc.dictionary(fc.string(), fc.jsonValue()) }),
    ),
    { maxLength: 3 },
  ),
  attachments: fc.array(anyId, { maxLength: 1 }),
  inference_options: fc.record({ model: fc.option(fc.string()), tool_choice: fc.option(fc.record({ id: fc.string() })) }, { requiredKeys: [] }),
  quoted_text: fc.option(fc.string()),
});

const params: Record<string, fc.Arbitrary<unknown>> = {
  'threads.create': fc.record({ input }),
  'threads.add_user_message': fc.record({ thread_id: anyId, input }),
  'threads.add_client_tool_output': fc.record({ thread_id: anyId, result: fc.jsonValue() }),
  'threads.add_structured_input': fc.record({ thread_id: anyId, item_id: anyId, input: fc.record({ status: fc.constantFrom('answered', 'skipped') }) }),
  'threads.retry_after_item': fc.record({ thread_id: anyId, item_id: anyId }),
  'threads.custom_action': fc.record({ thread_id: anyId, item_id: fc.option(anyId), action: fc.record({ type: fc.string(), payload: fc.jsonValue() }) }),
  'threads.sync_custom_action': fc.record({ thread_id: anyId, item_id: fc.option(anyId), action: fc.record({ type: fc.string() }) }),
  'threads.get_by_id': fc.record({ thread_id: anyId }),
  'threads.list': fc.record({ limit: fc.option(fc.nat(30)), order: fc.constantFrom('asc', 'desc'), after: fc.option(anyId) }, { requiredKeys: [] }),
  'items.list': fc.record({ thread_id: anyId, limit: fc.option(fc.nat(30)), order: fc.constantFrom('asc', 'desc'), after: fc.option(anyId) }, { requiredKeys: ['thread_id'] }),
  'items.feedback': fc.record({ thread_id: anyId, item_ids: fc.array(anyId), kind: fc.constantFrom('positive', 'negative') }),
  'attachments.create': fc.record({ name: fc.string(), size: fc.nat(), mime_type: fc.string() }),
  'attachments.delete': fc.record({ attachment_id: anyId }),
  'threads.update': fc.record({ thread_id: anyId, title: fc.string() }),
  'threads.delete': fc.record({ thread_id: anyId }),
  'input.transcribe': fc.record({ audio_base64: fc.base64String(), mime_type: fc.string() }),
};

const validRequest = fc.constantFrom(...REQUEST_TYPES).chain((type) => params[type]!.map((p) => ({ type, params: p })));

/** Mutations that keep the body JSON but break (or stretch) its shape. */
function mutate(value: unknown, choice: number, replacement: unknown): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, child] = entries[choice % entries.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...(value as object) };
  switch (choice % 4) {
    case 0:
      delete copy[key];
      break;
    case 1:
      copy[key] = replacement;
      break;
    default:
      copy[key] = mutate(child, Math.floor(choice / 4), replacement);
  }
  return copy;
}

const mutatedRequest = fc.tuple(validRequest, fc.nat(), fc.jsonValue()).map(([request, choice, replacement]) => mutate(request, choice, replacement));

const body = fc.oneof(
  { weight: 4, arbitrary: validRequest.map((r) => JSON.stringify(r)) },
  { weight: 4, arbitrary: mutatedRequest.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string() },
);

async function allThreadItems(threadId: string): Promise<ThreadItem[]> {
  const items: ThreadItem[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await server.store.loadThreadItems(threadId, after, 7, 'asc', ctx);
    items.push(...page.data);
    if (!page.has_more) return items;
    after = page.after ?? undefined;
  }
}

describe('random and mutated bodies', () => {
  test('only documented errors, only well-formed frames', async () => {
    await fc.assert(fc.asyncProperty(body, (b) => run(b)), { numRuns: 3000 });
  });

  afterAll(async () => {
    // The store stays consistent: every thread's items page cleanly in both
    // orders, belong to it and never repeat.
    const threads = await server.store.loadThreads(10_000, null, 'asc', ctx);
    expect(threads.data.length).toBeGreaterThan(10);
    for (const thread of threads.data) {
      const items = await allThreadItems(thread.id);
      expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
      for (const item of items) expect(item.thread_id).toBe(thread.id);
      const desc = await server.store.loadThreadItems(thread.id, null, 10_000, 'desc', ctx);
      expect(desc.data.map((item) => item.id)).toEqual(items.map((item) => item.id).reverse());
    }
  });
});
