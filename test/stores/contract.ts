/**
 * The store contract: one set of tests every bundled store must pass
 * unchanged, so SQLite and PostgreSQL behave exactly like MemoryStore.
 * A test file calls `describeStoreContract(harness)` with a factory for
 * fresh, empty stores.
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  NotFoundError,
  type Attachment,
  type Store,
  type StoreOptions,
  type Thread,
  type ThreadItem,
  type ThreadMetadata,
} from '../../src/runtime/index.js';

export interface Ctx {
  user?: string;
}

export type TestStore = Store<Ctx> & { close?(): Promise<void> };

export interface StoreHarness {
  name: string;
  /** A fresh, empty store (its own file / schema). */
  open(options?: StoreOptions<Ctx>): Promise<TestStore>;
  /**
   * Closes `store` and opens a new instance over the same data, as a process
   * restart would. Absent where data cannot outlive the instance (MemoryStore).
   */
  reopen?(store: TestStore, options?: StoreOptions<Ctx>): Promise<TestStore>;
  /** Closes every store opened by the harness (called after each test). */
  closeAll(): Promise<void>;
}

const ctx: Ctx = {};
const alice: Ctx = { user: 'alice' };
const bob: Ctx = { user: 'bob' };
const perUser: StoreOptions<Ctx> = { ownerOf: (c) => c.user };

export function at(second: number, millis = 0): string {
  return new Date(Date.UTC(2025, 0, 1, 0, 0, second, millis)).toISOString();
}

export function thread(id: string, createdAt = at(0), extra: Partial<ThreadMetadata> = {}): ThreadMetadata {
  return { id, created_at: createdAt, status: { type: 'active' }, metadata: {}, ...extra };
}

export function message(threadId: string, id: string, createdAt = at(0), text = id): ThreadItem {
  return {
    id,
    thread_id: threadId,
    created_at: createdAt,
    type: 'assistant_message',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

function fileAttachment(id: string, extra: Partial<Attachment> = {}): Attachment {
  return { id, type: 'file', name: `${id}.pdf`, mime_type: 'application/pdf', ...extra } as Attachment;
}

async function ids(page: Promise<{ data: { id: string }[] }>): Promise<string[]> {
  return (await page).data.map((row) => row.id);
}

/** Walks every page and returns the ids in order, checking each page's cursor. */
async function walk(store: TestStore, threadId: string, limit: number, order: 'asc' | 'desc', c: Ctx = ctx) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await store.loadThreadItems(threadId, after, limit, order, c);
    seen.push(...page.data.map((item) => item.id));
    if (!page.has_more) {
      expect(page.after ?? undefined).toBeUndefined();
      return seen;
    }
    expect(page.after).toBe(page.data[page.data.length - 1]!.id);
    after = page.after!;
  }
  throw new Error('pagination did not terminate');
}

export function describeStoreContract(harness: StoreHarness): void {
  describe(`${harness.name}: store contract`, () => {
    afterEach(() => harness.closeAll());

    describe('threads', () => {
      test('a saved thread loads back equal, as a fresh object each time', async () => {
        const store = await harness.open();
        const saved = thread('thr_1', at(1), {
          title: 'Plans',
          status: { type: 'locked', reason: 'archived' },
          allowed_image_domains: ['example.com'],
          metadata: { nested: { list: [1, 'two', null], flag: true } },
        });
        await store.saveThread(saved, ctx);
        const loaded = await store.loadThread('thr_1', ctx);
        expect(loaded).toEqual(saved);
        loaded.title = 'changed by the caller';
        (loaded.metadata.nested as { list: unknown[] }).list.push('x');
        expect(await store.loadThread('thr_1', ctx)).toEqual(saved);
      });

      test('saveThread strips the items of a Thread and upserts', async () => {
        const store = await harness.open();
        const full: Thread = { ...thread('thr_1'), items: { data: [message('thr_1', 'msg_1')], has_more: false } };
        await store.saveThread(full, ctx);
        expect(await store.loadThread('thr_1', ctx)).not.toHaveProperty('items');
        await store.saveThread(thread('thr_1', at(0), { title: 'renamed' }), ctx);
        expect((await store.loadThread('thr_1', ctx)).title).toBe('renamed');
        expect((await store.loadThreads(10, null, 'asc', ctx)).data).toHaveLength(1);
        expect((await store.loadThreadItems('thr_1', null, 10, 'asc', ctx)).data).toEqual([]);
      });

      test('loading a missing thread is a NotFoundError', async () => {
        const store = await harness.open();
        await expect(store.loadThread('thr_missing', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadThreadItems('thr_missing', null, 10, 'asc', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadItem('thr_missing', 'msg_1', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteThread('thr_missing', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.addThreadItem('thr_missing', message('thr_missing', 'msg_1'), ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.saveItem('thr_missing', message('thr_missing', 'msg_1'), ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteThreadItem('thr_missing', 'msg_1', ctx)).rejects.toBeInstanceOf(NotFoundError);
      });

      test('loadThreads: empty store', async () => {
        const store = await harness.open();
        for (const order of ['asc', 'desc'] as const) {
          expect(await store.loadThreads(10, null, order, ctx)).toEqual({ data: [], has_more: false });
        }
      });

      test('loadThreads pages by created_at, ties by insertion, desc the exact reverse', async () => {
        const store = await harness.open();
        // Saved out of time order, with ties: t3 and t1 share a timestamp, t3 saved first.
        await store.saveThread(thread('t3', at(5)), ctx);
        await store.saveThread(thread('t1', at(5)), ctx);
        await store.saveThread(thread('t0', at(1)), ctx);
        await store.saveThread(thread('t9', at(9)), ctx);
        const ascending = ['t0', 't3', 't1', 't9'];
        expect(await ids(store.loadThreads(10, null, 'asc', ctx))).toEqual(ascending);
        expect(await ids(store.loadThreads(10, null, 'desc', ctx))).toEqual(ascending.toReversed());

        const first = await store.loadThreads(2, null, 'asc', ctx);
        expect(first).toMatchObject({ has_more: true, after: 't3' });
        expect(await ids(store.loadThreads(2, first.after, 'asc', ctx))).toEqual(['t1', 't9']);
        const exact = await store.loadThreads(4, null, 'desc', ctx);
        expect(exact.has_more).toBe(false);
        expect(exact.after ?? undefined).toBeUndefined();
        expect(await store.loadThreads(2, 't9', 'asc', ctx)).toEqual({ data: [], has_more: false });
        expect(await ids(store.loadThreads(2, 't1', 'desc', ctx))).toEqual(['t3', 't0']);
        // An unknown cursor starts from the beginning.
        expect(await ids(store.loadThreads(2, 'thr_unknown', 'desc', ctx))).toEqual(['t9', 't1']);
        // Re-saving a thread keeps its place among equal timestamps.
        await store.saveThread(thread('t3', at(5), { title: 'updated' }), ctx);
        expect(await ids(store.loadThreads(10, null, 'asc', ctx))).toEqual(ascending);
      });

      test('deleting a thread deletes its items and nothing else', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_a'), ctx);
        await store.saveThread(thread('thr_b'), ctx);
        for (let i = 0; i < 3; i++) {
          await store.addThreadItem('thr_a', message('thr_a', `msg_a${i}`, at(i)), ctx);
          await store.addThreadItem('thr_b', message('thr_b', `msg_b${i}`, at(i)), ctx);
        }
        await store.deleteThread('thr_a', ctx);
        await expect(store.loadThread('thr_a', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadItem('thr_a', 'msg_a0', ctx)).rejects.toBeInstanceOf(NotFoundError);
        expect(await ids(store.loadThreads(10, null, 'asc', ctx))).toEqual(['thr_b']);
        expect(await ids(store.loadThreadItems('thr_b', null, 10, 'asc', ctx))).toEqual(['msg_b0', 'msg_b1', 'msg_b2']);
        // A new thread with the same id starts empty: the old items are really gone.
        await store.saveThread(thread('thr_a'), ctx);
        expect(await store.loadThreadItems('thr_a', null, 10, 'asc', ctx)).toEqual({ data: [], has_more: false });
      });
    });

    describe('item pagination', () => {
      async function threadWith(store: TestStore, count: number, timeOf = (i: number) => at(i)) {
        await store.saveThread(thread('thr_p'), ctx);
        const expected: string[] = [];
        for (let i = 0; i < count; i++) {
          const id = `msg_${String(i).padStart(2, '0')}`;
          await store.addThreadItem('thr_p', message('thr_p', id, timeOf(i)), ctx);
          expected.push(id);
        }
        return expected;
      }

      test('an empty thread', async () => {
        const store = await harness.open();
        await threadWith(store, 0);
        for (const order of ['asc', 'desc'] as const) {
          expect(await store.loadThreadItems('thr_p', null, 5, order, ctx)).toEqual({ data: [], has_more: false });
        }
      });

      test('a page exactly the size of the thread has no more and no cursor', async () => {
        const store = await harness.open();
        const expected = await threadWith(store, 5);
        for (const order of ['asc', 'desc'] as const) {
          const page = await store.loadThreadItems('thr_p', null, 5, order, ctx);
          expect(page.data.map((item) => item.id)).toEqual(order === 'asc' ? expected : expected.toReversed());
          expect(page.has_more).toBe(false);
          expect(page.after ?? undefined).toBeUndefined();
        }
      });

      test('one item more than the page: has_more with the last id as cursor', async () => {
        const store = await harness.open();
        await threadWith(store, 6);
        const asc = await store.loadThreadItems('thr_p', null, 5, 'asc', ctx);
        expect(asc).toMatchObject({ has_more: true, after: 'msg_04' });
        expect(await ids(store.loadThreadItems('thr_p', asc.after, 5, 'asc', ctx))).toEqual(['msg_05']);
        const desc = await store.loadThreadItems('thr_p', null, 5, 'desc', ctx);
        expect(desc).toMatchObject({ has_more: true, after: 'msg_01' });
        expect(await ids(store.loadThreadItems('thr_p', desc.after, 5, 'desc', ctx))).toEqual(['msg_00']);
      });

      test('after = the last item gives an empty page, in both orders', async () => {
        const store = await harness.open();
        await threadWith(store, 4);
        expect(await store.loadThreadItems('thr_p', 'msg_03', 10, 'asc', ctx)).toEqual({ data: [], has_more: false });
        expect(await store.loadThreadItems('thr_p', 'msg_00', 10, 'desc', ctx)).toEqual({ data: [], has_more: false });
      });

      test('equal timestamps are ordered by insertion; desc is the exact reverse', async () => {
        const store = await harness.open();
        const expected = await threadWith(store, 12, (i) => at(Math.floor(i / 4)));
        expect(await walk(store, 'thr_p', 5, 'asc')).toEqual(expected);
        expect(await walk(store, 'thr_p', 5, 'desc')).toEqual(expected.toReversed());
        // A cursor in the middle of a run of equal timestamps.
        expect(await ids(store.loadThreadItems('thr_p', 'msg_05', 3, 'asc', ctx))).toEqual(['msg_06', 'msg_07', 'msg_08']);
        expect(await ids(store.loadThreadItems('thr_p', 'msg_05', 3, 'desc', ctx))).toEqual(['msg_04', 'msg_03', 'msg_02']);
      });

      test('items are ordered by created_at, not by insertion', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_p'), ctx);
        for (const [id, second] of [['late', 9], ['early', 1], ['middle', 5]] as const) {
          await store.addThreadItem('thr_p', message('thr_p', id, at(second)), ctx);
        }
        expect(await walk(store, 'thr_p', 2, 'asc')).toEqual(['early', 'middle', 'late']);
        expect(await walk(store, 'thr_p', 1, 'desc')).toEqual(['late', 'middle', 'early']);
      });

      test('an unknown cursor starts from the beginning', async () => {
        const store = await harness.open();
        await threadWith(store, 3);
        expect(await ids(store.loadThreadItems('thr_p', 'msg_unknown', 2, 'asc', ctx))).toEqual(['msg_00', 'msg_01']);
        expect(await ids(store.loadThreadItems('thr_p', 'msg_unknown', 2, 'desc', ctx))).toEqual(['msg_02', 'msg_01']);
      });

      test('an item of another thread is not a cursor here', async () => {
        const store = await harness.open();
        await threadWith(store, 3);
        await store.saveThread(thread('thr_other'), ctx);
        await store.addThreadItem('thr_other', message('thr_other', 'msg_elsewhere', at(1)), ctx);
        expect(await ids(store.loadThreadItems('thr_p', 'msg_elsewhere', 10, 'asc', ctx))).toEqual(['msg_00', 'msg_01', 'msg_02']);
      });
    });

    describe('items', () => {
      test('addThreadItem and saveItem upsert by id, keeping the item in place', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        for (const id of ['a', 'b', 'c']) await store.addThreadItem('thr_1', message('thr_1', id, at(1)), ctx);
        await store.addThreadItem('thr_1', message('thr_1', 'b', at(1), 'b, replaced'), ctx);
        await store.saveItem('thr_1', message('thr_1', 'a', at(1), 'a, saved'), ctx);
        await store.saveItem('thr_1', message('thr_1', 'd', at(1)), ctx);
        const page = await store.loadThreadItems('thr_1', null, 10, 'asc', ctx);
        expect(page.data.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd']);
        expect(await store.loadItem('thr_1', 'b', ctx)).toEqual(message('thr_1', 'b', at(1), 'b, replaced'));
        expect(await store.loadItem('thr_1', 'a', ctx)).toEqual(message('thr_1', 'a', at(1), 'a, saved'));
      });

      test('an upsert with a new created_at moves the item', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        for (const [id, s] of [['a', 1], ['b', 2], ['c', 3]] as const) await store.addThreadItem('thr_1', message('thr_1', id, at(s)), ctx);
        await store.saveItem('thr_1', message('thr_1', 'a', at(4)), ctx);
        expect(await walk(store, 'thr_1', 2, 'asc')).toEqual(['b', 'c', 'a']);
        expect(await walk(store, 'thr_1', 2, 'desc')).toEqual(['a', 'c', 'b']);
      });

      test('loaded items are fresh objects', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        const original = message('thr_1', 'msg_1');
        await store.addThreadItem('thr_1', original, ctx);
        (original as { content: unknown[] }).content.push({ type: 'output_text', text: 'after save', annotations: [] });
        const loaded = await store.loadItem('thr_1', 'msg_1', ctx);
        expect(loaded).toEqual(message('thr_1', 'msg_1'));
        (loaded as { content: unknown[] }).content.length = 0;
        const [listed] = (await store.loadThreadItems('thr_1', null, 1, 'asc', ctx)).data;
        expect(listed).toEqual(message('thr_1', 'msg_1'));
      });

      test('loadItem of a missing item is a NotFoundError', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        await expect(store.loadItem('thr_1', 'msg_missing', ctx)).rejects.toBeInstanceOf(NotFoundError);
      });

      test('deleteThreadItem removes one item; a missing item is a no-op', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        for (const id of ['a', 'b', 'c']) await store.addThreadItem('thr_1', message('thr_1', id, at(1)), ctx);
        await store.deleteThreadItem('thr_1', 'b', ctx);
        await store.deleteThreadItem('thr_1', 'b', ctx);
        await store.deleteThreadItem('thr_1', 'never_existed', ctx);
        expect(await ids(store.loadThreadItems('thr_1', null, 10, 'asc', ctx))).toEqual(['a', 'c']);
        await expect(store.loadItem('thr_1', 'b', ctx)).rejects.toBeInstanceOf(NotFoundError);
      });

      test('the same item id in two threads is two items', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        await store.saveThread(thread('thr_2'), ctx);
        await store.addThreadItem('thr_1', message('thr_1', 'msg_same', at(1), 'one'), ctx);
        await store.addThreadItem('thr_2', message('thr_2', 'msg_same', at(1), 'two'), ctx);
        expect(await store.loadItem('thr_1', 'msg_same', ctx)).toEqual(message('thr_1', 'msg_same', at(1), 'one'));
        await store.deleteThreadItem('thr_2', 'msg_same', ctx);
        expect(await store.loadItem('thr_1', 'msg_same', ctx)).toEqual(message('thr_1', 'msg_same', at(1), 'one'));
      });

      test('hidden items, widgets and awkward text round-trip intact', async () => {
        const store = await harness.open();
        await store.saveThread(thread('thr_1'), ctx);
        const items: ThreadItem[] = [
          { id: 'hc', thread_id: 'thr_1', created_at: at(1), type: 'hidden_context_item', content: { note: 'for the model', n: 3, list: [true, null] } },
          { id: 'shcx', thread_id: 'thr_1', created_at: at(2), type: 'sdk_hidden_context', content: 'The user cancelled the stream.' },
          message('thr_1', 'odd', at(3), 'quotes \' " \\ emoji 🦜 nul \u0000 newline \n tab \t 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'),
          {
            id: 'w', thread_id: 'thr_1', created_at: at(4), type: 'widget', copy_text: null,
            widget: { type: 'Card', children: [{ type: 'Text', value: 'hi' }] } as never,
          },
          {
            id: 'u', thread_id: 'thr_1', created_at: at(5), type: 'user_message', quoted_text: null,
            content: [{ type: 'input_text', text: 'hello' }], attachments: [fileAttachment('atc_1')],
            inference_options: { model: 'gpt-x', tool_choice: null } as never,
          },
        ];
        for (const item of items) await store.addThreadItem('thr_1', item, ctx);
        expect((await store.loadThreadItems('thr_1', null, 10, 'asc', ctx)).data).toEqual(items);
        expect(await store.loadItem('thr_1', 'hc', ctx)).toEqual(items[0]);
      });
    });

    describe('U+0000 (NUL)', () => {
      test('inside titles, metadata, widget JSON and attachment records it is kept', async () => {
        const store = await harness.open(perUser);
        const saved = thread('thr_1', at(0), { title: 'a\u0000b', metadata: { 'k\u0000': 'v\u0000', nested: { list: ['\u0000'] } } });
        await store.saveThread(saved, alice);
        expect(await store.loadThread('thr_1', alice)).toEqual(saved);
        expect((await store.loadThreads(5, null, 'asc', alice)).data).toEqual([saved]);
        const widget: ThreadItem = {
          id: 'w', thread_id: 'thr_1', created_at: at(1), type: 'widget',
          widget: { type: 'Card', children: [{ type: 'Text', value: 'x\u0000y' }] } as never,
        };
        await store.addThreadItem('thr_1', widget, alice);
        expect(await store.loadItem('thr_1', 'w', alice)).toEqual(widget);
        const attachment = fileAttachment('atc_1', { name: 'n\u0000.pdf', metadata: { path: '\u0000' } });
        await store.saveAttachment(attachment, alice);
        expect(await store.loadAttachment('atc_1', alice)).toEqual(attachment);
      });

      test('in an id or cursor it matches nothing, as any unknown id does (never a driver error)', async () => {
        const store = await harness.open(perUser);
        await store.saveThread(thread('thr_1'), alice);
        await store.addThreadItem('thr_1', message('thr_1', 'msg_1', at(1)), alice);
        const nul = 'thr_\u0000';
        await expect(store.loadThread(nul, alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadThreadItems(nul, null, 5, 'asc', alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadItem('thr_1', 'msg_\u0000', alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.loadItem(nul, 'msg_1', alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteThread(nul, alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.updateThread(nul, (stored) => stored, alice)).rejects.toBeInstanceOf(NotFoundError);
        await store.deleteThreadItem('thr_1', 'msg_\u0000', alice); // a missing item: a no-op
        await expect(store.deleteThreadItem(nul, 'msg_1', alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.addThreadItem(nul, message(nul, 'msg_2'), alice)).rejects.toBeInstanceOf(NotFoundError);
        // An unknown cursor starts from the beginning.
        expect(await ids(store.loadThreadItems('thr_1', 'msg_\u0000', 5, 'asc', alice))).toEqual(['msg_1']);
        expect(await ids(store.loadThreads(5, nul, 'asc', alice))).toEqual(['thr_1']);
        await expect(store.loadAttachment('atc_\u0000', alice)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteAttachment('atc_\u0000', alice)).rejects.toBeInstanceOf(NotFoundError);
        // An owner containing NUL owns nothing.
        const mallory: Ctx = { user: 'alice\u0000' };
        await expect(store.loadThread('thr_1', mallory)).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.loadThreads(5, null, 'asc', mallory)).data).toEqual([]);
      });
    });

    describe('attachments', () => {
      test('save, load, upsert and delete', async () => {
        const store = await harness.open();
        const image: Attachment = {
          id: 'atc_img', type: 'image', name: 'cat.png', mime_type: 'image/png', preview_url: 'https://cdn.example/cat.png',
          upload_descriptor: { url: 'https://upload.example/atc_img', method: 'PUT', headers: { 'x-upload': '1' } },
          thread_id: null, metadata: { bytes: 1234 },
        };
        await store.saveAttachment(image, ctx);
        await store.saveAttachment(fileAttachment('atc_file'), ctx);
        expect(await store.loadAttachment('atc_img', ctx)).toEqual(image);
        await store.saveAttachment({ ...image, upload_descriptor: null, thread_id: 'thr_1' }, ctx);
        expect(await store.loadAttachment('atc_img', ctx)).toEqual({ ...image, upload_descriptor: null, thread_id: 'thr_1' });
        await store.deleteAttachment('atc_img', ctx);
        await expect(store.loadAttachment('atc_img', ctx)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteAttachment('atc_img', ctx)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.loadAttachment('atc_file', ctx)).toEqual(fileAttachment('atc_file'));
      });
    });

    describe('owner isolation', () => {
      test("another user's thread is indistinguishable from a missing one", async () => {
        const store = await harness.open(perUser);
        await store.saveThread(thread('thr_a', at(1), { title: 'alice' }), alice);
        await store.addThreadItem('thr_a', message('thr_a', 'msg_a'), alice);
        const missing = [
          () => store.loadThread('thr_a', bob),
          () => store.loadThreadItems('thr_a', null, 10, 'asc', bob),
          () => store.loadItem('thr_a', 'msg_a', bob),
          () => store.addThreadItem('thr_a', message('thr_a', 'msg_b'), bob),
          () => store.saveItem('thr_a', message('thr_a', 'msg_a', at(0), 'overwritten by bob'), bob),
          () => store.deleteThreadItem('thr_a', 'msg_a', bob),
          () => store.deleteThreadItem('thr_a', 'msg_none', bob),
          () => store.saveThread(thread('thr_a', at(1), { title: 'taken by bob' }), bob),
          () => store.deleteThread('thr_a', bob),
          // No owner at all is not a wildcard.
          () => store.loadThread('thr_a', {}),
        ];
        for (const attempt of missing) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.loadThread('thr_a', alice)).toEqual(thread('thr_a', at(1), { title: 'alice' }));
        expect((await store.loadThreadItems('thr_a', null, 10, 'asc', alice)).data).toEqual([message('thr_a', 'msg_a')]);
      });

      test('loadThreads lists only the caller\'s threads; a foreign cursor starts from the beginning', async () => {
        const store = await harness.open(perUser);
        await store.saveThread(thread('a1', at(1)), alice);
        await store.saveThread(thread('b1', at(2)), bob);
        await store.saveThread(thread('a2', at(3)), alice);
        await store.saveThread(thread('n1', at(4)), {});
        expect(await ids(store.loadThreads(10, null, 'asc', alice))).toEqual(['a1', 'a2']);
        expect(await ids(store.loadThreads(10, null, 'desc', bob))).toEqual(['b1']);
        expect(await ids(store.loadThreads(10, null, 'asc', {}))).toEqual(['n1']);
        expect(await ids(store.loadThreads(1, 'b1', 'asc', alice))).toEqual(['a1']);
        expect(await store.loadThreads(1, null, 'asc', alice)).toMatchObject({ has_more: true, after: 'a1' });
      });

      test("another user's attachment is indistinguishable from a missing one", async () => {
        const store = await harness.open(perUser);
        await store.saveAttachment(fileAttachment('atc_a'), alice);
        await expect(store.loadAttachment('atc_a', bob)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteAttachment('atc_a', bob)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.saveAttachment(fileAttachment('atc_a', { name: 'bob.pdf' }), bob)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.loadAttachment('atc_a', alice)).toEqual(fileAttachment('atc_a'));
      });
    });

    if (harness.reopen) {
      const reopen = harness.reopen.bind(harness);
      test('restart: data written before close is there after reopening', async () => {
        const before = await harness.open(perUser);
        await before.saveThread(thread('thr_1', at(1), { title: 'kept' }), alice);
        await before.saveThread(thread('thr_2', at(2)), alice);
        for (let i = 0; i < 7; i++) await before.addThreadItem('thr_1', message('thr_1', `msg_${i}`, at(i % 3)), alice);
        await before.saveAttachment(fileAttachment('atc_1'), alice);
        const expected = await walk(before, 'thr_1', 3, 'asc', alice);

        const after = await reopen(before, perUser);
        expect(await after.loadThread('thr_1', alice)).toEqual(thread('thr_1', at(1), { title: 'kept' }));
        expect(await walk(after, 'thr_1', 3, 'asc', alice)).toEqual(expected);
        expect(await walk(after, 'thr_1', 2, 'desc', alice)).toEqual(expected.toReversed());
        expect(await ids(after.loadThreads(10, null, 'desc', alice))).toEqual(['thr_2', 'thr_1']);
        expect(await after.loadAttachment('atc_1', alice)).toEqual(fileAttachment('atc_1'));
        await expect(after.loadThread('thr_1', bob)).rejects.toBeInstanceOf(NotFoundError);
        // Insertion order continues after the restart.
        await after.addThreadItem('thr_1', message('thr_1', 'msg_new', at(0)), alice);
        const firstSecond = (await after.loadThreadItems('thr_1', null, 10, 'asc', alice)).data.map((item) => item.id);
        expect(firstSecond.slice(0, 4)).toEqual(['msg_0', 'msg_3', 'msg_6', 'msg_new']);
      });
    }
  });
}
