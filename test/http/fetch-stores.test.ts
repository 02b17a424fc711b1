/**
 * The stores that run beside the fetch handler on Node, through it over
 * real TCP: SQLite in a file, SQLite over a libSQL server's HTTP protocol,
 * and PostgreSQL. Each keeps a streamed thread, lists it for its owner only
 * and returns it whole.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createChatKitHandler, toNodeListener } from '../../src/http/fetch/index.js';
import type { Store, ThreadStreamEvent } from '../../src/runtime/index.js';
import { PostgresStore } from '../../src/runtime/stores/postgres/index.js';
import { SQLiteStore } from '../../src/runtime/stores/sqlite/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { startHranaServer, type HranaServer } from '../stores/support/hrana-server.js';
import { DATABASE_URL, dropSchemas, requirePostgres, uniqueSchema } from '../stores/support/postgres.js';
import { headerOf, post, readAll, userInput } from './support.js';

type Context = { userId: string };
type ClosableStore = Store<Context> & { close(): Promise<void> };

let dir: string;
let hrana: HranaServer | undefined;
const schemas = new Set<string>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatkit-fetch-stores-'));
});
afterAll(async () => {
  await hrana?.close();
  await dropSchemas(schemas);
  await rm(dir, { recursive: true, force: true });
});

const STORES: [string, () => Promise<ClosableStore>][] = [
  ['SQLiteStore (file)', async () => new SQLiteStore<Context>({ url: `file:${join(dir, 'file.db')}`, ownerOf: (c) => c.userId })],
  [
    'SQLiteStore over a libSQL server (HTTP)',
    async () => {
      hrana = await startHranaServer(join(dir, 'remote.db'));
      return new SQLiteStore<Context>({ url: hrana.url, authToken: 'test-token', ownerOf: (c) => c.userId });
    },
  ],
  [
    'PostgresStore',
    async () => {
      await requirePostgres();
      const schema = uniqueSchema('fetch');
      schemas.add(schema);
      return new PostgresStore<Context>({ connectionString: DATABASE_URL, schema, ownerOf: (c) => c.userId });
    },
  ],
];

describe.each(STORES)('%s behind the fetch handler', (_name, openStore) => {
  let store: ClosableStore;
  let listening: Server;
  let endpoint: string;

  beforeAll(async () => {
    store = await openStore();
    const server = new ScriptedServer<Context>(store);
    server.respondWith = async function* (thread, _input, context): AsyncGenerator<ThreadStreamEvent> {
      const id = this.store.generateItemId('message', thread, context);
      const item = { id, thread_id: thread.id, created_at: new Date().toISOString(), type: 'assistant_message' as const, content: [] };
      yield { type: 'thread.item.added', item };
      yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text: `hello ${context.userId}`, type: 'output_text' }] } };
    };
    const handler = createChatKitHandler<Context>({
      server,
      auth: { verify: (request) => (headerOf(request, 'x-user') ? { userId: headerOf(request, 'x-user')! } : null) },
      context: (_request, { userId }) => ({ userId: userId! }),
      logger: { error() {}, warn() {} },
    });
    listening = createServer(toNodeListener(handler));
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(listening.address() as { port: number }).port}/chatkit/api`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => listening.close(() => resolve()));
    await store.close();
  });

  test('a streamed thread is saved, listed for its owner only, and returned whole', async () => {
    const events = await readAll(await post(endpoint, { type: 'threads.create', params: { input: userInput('hi') } }, { 'x-user': 'ada' }));
    const threadId = events[0]!.thread.id as string;
    expect(events.at(-1)).toMatchObject({ type: 'thread.item.done', item: { content: [{ text: 'hello ada' }] } });

    const mine = await (await post(endpoint, { type: 'threads.list', params: {} }, { 'x-user': 'ada' })).json();
    expect(mine.data.map((thread: { id: string }) => thread.id)).toEqual([threadId]);
    const theirs = await (await post(endpoint, { type: 'threads.list', params: {} }, { 'x-user': 'bob' })).json();
    expect(theirs.data).toEqual([]);
    expect((await post(endpoint, { type: 'threads.get_by_id', params: { thread_id: threadId } }, { 'x-user': 'bob' })).status).toBe(404);

    const thread = await (await post(endpoint, { type: 'threads.get_by_id', params: { thread_id: threadId } }, { 'x-user': 'ada' })).json();
    expect(thread.items.data.map((item: { type: string }) => item.type)).toEqual(['user_message', 'assistant_message']);
  });
});
