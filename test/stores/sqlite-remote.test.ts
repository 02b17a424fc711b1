/**
 * SQLiteStore against a libSQL server (an `http://` URL): the same contract,
 * through the Hrana protocol instead of a local file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SQLiteStore } from '../../src/runtime/stores/sqlite/index.js';
import { describeStoreContract, message, thread, type Ctx, type StoreHarness } from './contract.js';
import { describeServerOverStore } from './server-over-store.js';
import { OpenStores } from './support/harnesses.js';
import { startHranaServer, type HranaServer } from './support/hrana-server.js';

const dir = mkdtempSync(join(tmpdir(), 'chatkit-libsql-'));
const servers: HranaServer[] = [];
const open = new OpenStores<SQLiteStore<Ctx>>();
let files = 0;
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

const harness: StoreHarness = {
  name: 'SQLiteStore over a libSQL server',
  async open(options) {
    const server = await startHranaServer(join(dir, `remote${++files}.db`));
    servers.push(server);
    return open.add(new SQLiteStore<Ctx>({ ...options, url: server.url, authToken: 'test-token' }));
  },
  async reopen(store, options) {
    const remote = store as SQLiteStore<Ctx>;
    await open.close(remote);
    return open.add(new SQLiteStore<Ctx>({ ...options, url: remote.location.url }));
  },
  closeAll: () => open.closeAll(),
};

describeStoreContract(harness);
describeServerOverStore(harness);

test('a remote store creates no local directory and reports the server as remote', async () => {
  const store = (await harness.open()) as SQLiteStore<Ctx>;
  expect(store.location.kind).toBe('remote');
  await store.saveThread(thread('thr_1'), {});
  await store.addThreadItem('thr_1', message('thr_1', 'msg_1'), {});
  expect((await store.loadThreadItems('thr_1', null, 1, 'desc', {})).data[0]!.id).toBe('msg_1');
  await harness.closeAll();
});
