import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, test } from 'vitest';
import { SQLiteStore, StoreClosedError } from '../../src/runtime/stores/sqlite/index.js';
import { describeStoreContract, message, thread, type Ctx } from './contract.js';
import { describeServerOverStore } from './server-over-store.js';
import { sqliteHarness } from './support/harnesses.js';

const harness = sqliteHarness();
afterAll(() => harness.dispose());

describeStoreContract(harness);
describeServerOverStore({
  ...harness,
  async failAssistantMessageWrites(store) {
    // A second connection to the same file, as another process would have.
    const client = createClient({ url: (store as SQLiteStore<Ctx>).location.url });
    await client.execute(`CREATE TRIGGER reject_assistant BEFORE INSERT ON chatkit_items
      WHEN NEW.data LIKE '%"type":"assistant_message"%' BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END`);
    client.close();
  },
});

describe('SQLiteStore specifics', () => {
  test('the file and its directory are created on demand, in WAL mode', async () => {
    const url = join(harness.dir, 'nested', 'deeper', 'chat.db');
    const store = new SQLiteStore<Ctx>({ url });
    await store.saveThread(thread('thr_1'), {});
    expect(existsSync(url)).toBe(true);
    const client = createClient({ url: `file:${url}` });
    expect((await client.execute('PRAGMA journal_mode')).rows[0]!.journal_mode).toBe('wal');
    client.close();
    await store.close();
  });

  test('accepts file: URLs, libSQL server URLs and :memory:, and names the problem with anything else', () => {
    expect(new SQLiteStore().location).toEqual({ kind: 'file', url: 'file:.data/chatkit.db', path: '.data/chatkit.db' });
    expect(new SQLiteStore({ url: 'file:///srv/chat.db' }).location).toMatchObject({ kind: 'file', path: '/srv/chat.db' });
    expect(new SQLiteStore({ url: 'libsql://chat.example.turso.io' }).location.kind).toBe('remote');
    expect(new SQLiteStore({ url: 'https://sqld.internal:8080' }).location.kind).toBe('remote');
    expect(new SQLiteStore({ url: ':memory:' }).location.kind).toBe('memory');
    expect(() => new SQLiteStore({ url: 'postgres://u:secret@db/chat' })).toThrow(/unsupported url scheme "postgres:".*PostgresStore/);
    expect(() => new SQLiteStore({ url: 'postgres://u:secret@db/chat' })).not.toThrow(/secret/);
    expect(() => new SQLiteStore({ url: '' })).toThrow(/url must be a non-empty string/);
    expect(() => new SQLiteStore({ busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/);
  });

  test('a plain path may hold spaces, # and %', async () => {
    const url = join(harness.dir, 'we ird#dir%20x', 'chat.db');
    const store = new SQLiteStore<Ctx>({ url });
    await store.saveThread(thread('thr_1'), {});
    expect(existsSync(url)).toBe(true);
    await store.close();
    const reopened = new SQLiteStore<Ctx>({ url });
    expect((await reopened.loadThread('thr_1', {})).id).toBe('thr_1');
    await reopened.close();
  });

  test('an in-memory database works for the life of the store', async () => {
    const store = new SQLiteStore<Ctx>({ url: ':memory:' });
    await store.saveThread(thread('thr_1'), {});
    await store.addThreadItem('thr_1', message('thr_1', 'msg_1'), {});
    expect((await store.loadThreadItems('thr_1', null, 5, 'asc', {})).data).toHaveLength(1);
    await store.close();
  });

  test('two instances starting on one new file apply each migration once', async () => {
    const url = join(harness.dir, 'concurrent', 'chat.db');
    const stores = Array.from({ length: 4 }, () => new SQLiteStore<Ctx>({ url }));
    await Promise.all(stores.map((store) => store.migrate()));
    const client = createClient({ url: `file:${url}` });
    const { rows } = await client.execute('SELECT version, name FROM chatkit_migrations ORDER BY version');
    expect(rows.map((row) => Number(row.version))).toEqual([1]);
    client.close();
    // Both see each other's writes.
    await stores[0]!.saveThread(thread('thr_1'), {});
    await stores[1]!.addThreadItem('thr_1', message('thr_1', 'msg_1'), {});
    expect((await stores[2]!.loadItem('thr_1', 'msg_1', {})).id).toBe('msg_1');
    await Promise.all(stores.map((store) => store.close()));
  });

  test('a created_at that is not an ISO string is a clear error, not a driver error', async () => {
    const store = await harness.open();
    await expect(store.saveThread({ ...thread('thr_1'), created_at: new Date() as never }, {})).rejects.toThrow(
      /thread thr_1: created_at must be an ISO-8601 string .* got a Date \(call \.toISOString\(\)\)/,
    );
    await store.saveThread(thread('thr_1'), {});
    await expect(store.addThreadItem('thr_1', { ...message('thr_1', 'msg_1'), created_at: undefined as never }, {})).rejects.toThrow(
      /item msg_1: created_at must be an ISO-8601 string/,
    );
  });

  test('after close() every call rejects with StoreClosedError', async () => {
    const store = await harness.open();
    await store.saveThread(thread('thr_1'), {});
    await store.close!();
    await expect(store.loadThread('thr_1', {})).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.addThreadItem('thr_1', message('thr_1', 'msg_1'), {})).rejects.toThrow(/SQLiteStore is closed/);
  });
});

describe('SQLiteStore query plans', () => {
  test('pages are served by the (thread_id, created_at, seq) index in both orders, without sorting', async () => {
    const store = (await harness.open()) as SQLiteStore<Ctx>;
    await store.saveThread(thread('thr_1'), {});
    const client = createClient({ url: store.location.url });
    const plan = async (sql: string) =>
      (await client.execute(`EXPLAIN QUERY PLAN ${sql}`)).rows.map((row) => String(row.detail)).join('\n');
    for (const sql of [
      `SELECT id, data FROM chatkit_items WHERE thread_id = 'thr_1' AND (created_at, seq) > ('x', 1) ORDER BY created_at ASC, seq ASC LIMIT 21`,
      `SELECT id, data FROM chatkit_items WHERE thread_id = 'thr_1' AND (created_at, seq) < ('x', 1) ORDER BY created_at DESC, seq DESC LIMIT 21`,
      `SELECT id, data FROM chatkit_items WHERE thread_id = 'thr_1' ORDER BY created_at DESC, seq DESC LIMIT 21`,
    ]) {
      const detail = await plan(sql);
      expect(detail).toMatch(/^SEARCH chatkit_items USING INDEX chatkit_items_by_thread \(thread_id=\?( AND created_at[<>]\?)?\)$/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    }
    client.close();
  });
});
