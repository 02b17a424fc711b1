/**
 * Several backend instances sharing one database: concurrent start-up and
 * concurrent writes to the same thread through two separate pools.
 */
import { afterAll, expect, test } from 'vitest';
import { PostgresStore } from '../../src/runtime/stores/postgres/index.js';
import { POSTGRES_MIGRATIONS } from '../../src/runtime/stores/postgres/migrations.js';
import { at, message, thread, type Ctx } from './contract.js';
import { DATABASE_URL, dropSchemas, requirePostgres, uniqueSchema, withClient } from './support/postgres.js';

const schemas = new Set<string>();
const stores: PostgresStore<Ctx>[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await dropSchemas(schemas);
});

function instance(schema: string): PostgresStore<Ctx> {
  const store = new PostgresStore<Ctx>({ connectionString: DATABASE_URL, schema, max: 5, ownerOf: (c) => c.user });
  stores.push(store);
  return store;
}

async function migrationsIn(schema: string) {
  return withClient(async (client) => (await client.query(`SELECT version FROM "${schema}".chatkit_migrations ORDER BY version`)).rows);
}

test('instances starting at once on an empty schema apply each migration exactly once', async () => {
  await requirePostgres();
  const schema = uniqueSchema('startup');
  schemas.add(schema);
  const starting = Array.from({ length: 4 }, () => instance(schema));
  await Promise.all(starting.map((store) => store.migrate()));
  expect(await migrationsIn(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
});

test('two instances writing to one thread at once lose and duplicate nothing', async () => {
  await requirePostgres();
  const schema = uniqueSchema('writes');
  schemas.add(schema);
  const [a, b] = [instance(schema), instance(schema)];
  await Promise.all([a.migrate(), b.migrate()]);
  expect(await migrationsIn(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));

  const alice = { user: 'alice' };
  await a.saveThread(thread('thr_shared'), alice);
  const perInstance = 150;
  const write = (store: PostgresStore<Ctx>, name: string) =>
    Array.from({ length: perInstance }, async (_, i) => {
      // Every instance also upserts the same "shared" ids: they must stay single rows.
      await store.addThreadItem('thr_shared', message('thr_shared', `${name}_${i}`, at(i % 10)), alice);
      if (i % 3 === 0) await store.saveItem('thr_shared', message('thr_shared', `shared_${i}`, at(i % 10), `by ${name}`), alice);
    });
  await Promise.all([...write(a, 'a'), ...write(b, 'b')]);

  const sharedCount = Math.ceil(perInstance / 3);
  const expectedCount = 2 * perInstance + sharedCount;
  const { rows } = await withClient((client) =>
    client.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM "${schema}".chatkit_items`),
  );
  expect(rows[0]).toEqual({ n: expectedCount, distinct_ids: expectedCount });

  // Walked page by page through the other instance, every item appears once, in a consistent order.
  const walk = async (order: 'asc' | 'desc') => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await b.loadThreadItems('thr_shared', after, 37, order, alice);
      seen.push(...page.data.map((item) => item.id));
      after = page.has_more ? page.after! : null;
    } while (after);
    return seen;
  };
  const ascending = await walk('asc');
  expect(new Set(ascending).size).toBe(expectedCount);
  expect(ascending).toHaveLength(expectedCount);
  expect(await walk('desc')).toEqual(ascending.toReversed());
  for (let i = 0; i < perInstance; i += 3) {
    const item = await a.loadItem('thr_shared', `shared_${i}`, alice);
    expect(item.type === 'assistant_message' && item.content[0]!.text).toMatch(/^by [ab]$/);
  }
});

test('deleting a thread while another instance writes to it leaves no orphan items', async () => {
  await requirePostgres();
  const schema = uniqueSchema('delete_race');
  schemas.add(schema);
  const [writer, deleter] = [instance(schema), instance(schema)];
  const alice = { user: 'alice' };
  await writer.saveThread(thread('thr_doomed'), alice);
  await writer.addThreadItem('thr_doomed', message('thr_doomed', 'msg_first'), alice);
  const writes = Array.from({ length: 60 }, (_, i) =>
    writer.addThreadItem('thr_doomed', message('thr_doomed', `msg_${i}`, at(i % 5)), alice).then(
      () => 'written',
      (error: Error) => error.name,
    ),
  );
  const deleted = deleter.deleteThread('thr_doomed', alice);
  const outcomes = new Set(await Promise.all(writes));
  await deleted;
  // Every write either landed before the delete or was refused as NotFound: no other failure.
  for (const outcome of outcomes) expect(['written', 'NotFoundError']).toContain(outcome);
  const { rows } = await withClient((client) => client.query(`SELECT count(*)::int AS n FROM "${schema}".chatkit_items`));
  expect(rows[0]).toEqual({ n: 0 });
  await expect(writer.loadThread('thr_doomed', alice)).rejects.toThrow(/not found/);
});
