/**
 * SQLiteStore's local write path: a worker thread owns the file and commits
 * the writes that arrive together in one transaction (group commit). These
 * tests check what sharing a commit must not change: each caller still gets
 * its own outcome, a caller's group of statements stays atomic, nothing
 * accepted is dropped by close(), and a dead worker is reported and replaced.
 */
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { SQLiteStore } from '../../src/runtime/stores/sqlite/index.js';
import { message, thread, type Ctx } from './contract.js';
import { sqliteHarness } from './support/harnesses.js';

const harness = sqliteHarness();
afterEach(() => harness.closeAll());
afterAll(() => harness.dispose());

/** DDL from a second connection, as another process (or an operator) would run it. */
async function sql(store: SQLiteStore<Ctx>, statement: string): Promise<void> {
  const client = createClient({ url: store.location.url });
  await client.execute(statement);
  client.close();
}

describe('SQLiteStore group commit', () => {
  test('one caller whose write fails gets its error; the others in the same commit are written', async () => {
    const store = (await harness.open()) as SQLiteStore<Ctx>;
    await store.saveThread(thread('thr_1'), {});
    await sql(store, `CREATE TRIGGER reject_one BEFORE INSERT ON chatkit_items WHEN NEW.id = 'msg_25'
      BEGIN SELECT RAISE(ABORT, 'msg_25 rejected (simulated constraint)'); END`);
    // Issued in one turn of the event loop: they reach the worker together and share one transaction.
    const ids = Array.from({ length: 50 }, (_, i) => `msg_${i}`);
    const results = await Promise.allSettled(ids.map((id) => store.addThreadItem('thr_1', message('thr_1', id), {})));
    const rejected = results.flatMap((result, i) => (result.status === 'rejected' ? [[ids[i], (result.reason as Error).message]] : []));
    expect(rejected).toEqual([['msg_25', expect.stringContaining('msg_25 rejected (simulated constraint)')]]);
    const stored = (await store.loadThreadItems('thr_1', null, 100, 'asc', {})).data.map((item) => item.id);
    expect(stored.sort()).toEqual(ids.filter((id) => id !== 'msg_25').sort());
  });

  test("a caller's statements stay atomic inside a shared commit: a delete that fails half way leaves everything", async () => {
    const store = (await harness.open()) as SQLiteStore<Ctx>;
    await store.saveThread(thread('thr_locked'), {});
    await store.saveThread(thread('thr_other'), {});
    await store.addThreadItem('thr_locked', message('thr_locked', 'msg_kept'), {});
    // deleteThread removes the items first, then the thread; the second statement fails.
    await sql(store, `CREATE TRIGGER keep_locked BEFORE DELETE ON chatkit_threads WHEN OLD.id = 'thr_locked'
      BEGIN SELECT RAISE(ABORT, 'thread is locked (simulated)'); END`);
    const [deleted, added] = await Promise.allSettled([
      store.deleteThread('thr_locked', {}),
      store.addThreadItem('thr_other', message('thr_other', 'msg_new'), {}),
    ]);
    expect(deleted.status).toBe('rejected');
    expect(added.status).toBe('fulfilled');
    expect((await store.loadItem('thr_locked', 'msg_kept', {})).id).toBe('msg_kept');
    expect((await store.loadItem('thr_other', 'msg_new', {})).id).toBe('msg_new');
  });

  test('close() lets every write already made finish, and they are in the file afterwards', async () => {
    const url = join(harness.dir, 'close', 'chat.db');
    const store = new SQLiteStore<Ctx>({ url });
    await store.saveThread(thread('thr_1'), {});
    const writes = Array.from({ length: 200 }, (_, i) => store.addThreadItem('thr_1', message('thr_1', `msg_${i}`), {}));
    await store.close();
    await Promise.all(writes);
    const reopened = new SQLiteStore<Ctx>({ url });
    expect((await reopened.loadThreadItems('thr_1', null, 500, 'asc', {})).data).toHaveLength(200);
    await reopened.close();
  });

  test('a worker that dies fails the calls waiting on it with a clear error, and the next call starts a new one', async () => {
    const store = (await harness.open()) as SQLiteStore<Ctx>;
    await store.saveThread(thread('thr_1'), {});
    const worker = (store as unknown as { connection: { worker: { terminate(): Promise<number> } } }).connection.worker;
    const waiting = store.addThreadItem('thr_1', message('thr_1', 'msg_lost'), {});
    await worker.terminate();
    await expect(waiting).rejects.toThrow(/SQLiteStore: the SQLite worker thread exited .*unacknowledged writes were not committed/);
    await store.addThreadItem('thr_1', message('thr_1', 'msg_after'), {});
    expect((await store.loadThread('thr_1', {})).id).toBe('thr_1');
    expect((await store.loadItem('thr_1', 'msg_after', {})).id).toBe('msg_after');
  });

  test('reads issued while a large commit runs are answered, and see only whole commits', async () => {
    const store = (await harness.open()) as SQLiteStore<Ctx>;
    await store.saveThread(thread('thr_1'), {});
    const writes = Array.from({ length: 500 }, (_, i) => store.addThreadItem('thr_1', message('thr_1', `msg_${String(i).padStart(3, '0')}`), {}));
    const page = await store.loadThreadItems('thr_1', null, 1000, 'asc', {});
    // Issued in the same turn as the writes: the read runs before their commit, so it sees none or all of them.
    expect([0, 500]).toContain(page.data.length);
    await Promise.all(writes);
    expect((await store.loadThreadItems('thr_1', null, 1000, 'asc', {})).data).toHaveLength(500);
  });

  test('synchronous accepts full and normal and names anything else', async () => {
    expect(() => new SQLiteStore({ synchronous: 'off' as never })).toThrow(/synchronous must be 'full' \(the default\) or 'normal', got "off"/);
    const store = new SQLiteStore<Ctx>({ url: join(harness.dir, 'normal', 'chat.db'), synchronous: 'normal' });
    await store.saveThread(thread('thr_1'), {});
    expect((await store.loadThread('thr_1', {})).id).toBe('thr_1');
    await store.close();
  });
});
