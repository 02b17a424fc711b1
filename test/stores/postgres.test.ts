import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { PostgresStore, StoreClosedError } from '../../src/runtime/stores/postgres/index.js';
import { describeStoreContract, message, thread, type Ctx } from './contract.js';
import { describeServerOverStore } from './server-over-store.js';
import { postgresHarness } from './support/harnesses.js';
import { DATABASE_URL, requirePostgres, uniqueSchema, withClient, dropSchemas } from './support/postgres.js';

const harness = postgresHarness();
afterAll(() => harness.dispose());

describeStoreContract(harness);
describeServerOverStore({
  ...harness,
  async failAssistantMessageWrites(store) {
    const { schema } = store as PostgresStore<Ctx>;
    await withClient((client) =>
      client.query(`ALTER TABLE "${schema}".chatkit_items ADD CONSTRAINT reject_assistant
        CHECK (data::text NOT LIKE '%"type":"assistant_message"%') NOT VALID`),
    );
  },
});

describe('PostgresStore specifics', () => {
  const extraSchemas = new Set<string>();
  afterAll(() => dropSchemas(extraSchemas));

  test('the connection string comes from the options or DATABASE_URL, and its absence is named', () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      expect(() => new PostgresStore()).toThrow(/pass \{ connectionString \} or set DATABASE_URL/);
      process.env.DATABASE_URL = DATABASE_URL;
      const store = new PostgresStore();
      expect(store.schema).toBe('public');
      return store.close();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  test('an unreachable server is a clear error without the password', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://app:hunter2@127.0.0.1:1/chat' });
    const failure = store.migrate();
    await expect(failure).rejects.toThrow(/PostgresStore could not connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/chat/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
    await store.close();
  });

  test('a created_at that is not an ISO string is a clear error', async () => {
    const store = await harness.open();
    await expect(store.saveThread({ ...thread('thr_1'), created_at: 17 as never }, {})).rejects.toThrow(
      /thread thr_1: created_at must be an ISO-8601 string .* got 17/,
    );
  });

  test('updateThread is atomic: concurrent updates from two store instances all land', async () => {
    const first = (await harness.open()) as PostgresStore<Ctx>;
    const second = new PostgresStore<Ctx>({ connectionString: DATABASE_URL, schema: first.schema });
    try {
      await first.saveThread(thread('thr_1'), {});
      await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          (n % 2 ? first : second).updateThread('thr_1', (stored) => ({ ...stored, metadata: { ...stored.metadata, [`k${n}`]: n } }), {}),
        ),
      );
      const stored = await first.loadThread('thr_1', {});
      expect(Object.keys(stored.metadata)).toHaveLength(20);
    } finally {
      await second.close();
    }
  });

  test('a schema name that is not a plain identifier is rejected up front', () => {
    expect(() => new PostgresStore({ connectionString: DATABASE_URL, schema: 'x"; DROP TABLE y; --' })).toThrow(/schema must be a plain identifier/);
  });

  test('tables live in the requested schema, which is created on demand', async () => {
    const schema = uniqueSchema('placement');
    extraSchemas.add(schema);
    const store = new PostgresStore<Ctx>({ connectionString: DATABASE_URL, schema });
    await store.saveThread(thread('thr_1'), {});
    const tables = await withClient((client) =>
      client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      ),
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(['chatkit_attachments', 'chatkit_items', 'chatkit_migrations', 'chatkit_threads']);
    await store.close();
  });

  test('a pool passed in is used and left open by close()', async () => {
    await requirePostgres();
    const schema = uniqueSchema('pool');
    extraSchemas.add(schema);
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const store = new PostgresStore<Ctx>({ pool, schema });
    await store.saveThread(thread('thr_1'), {});
    await store.close();
    await expect(store.loadThread('thr_1', {})).rejects.toBeInstanceOf(StoreClosedError);
    const { rows } = await pool.query(`SELECT id FROM "${schema}".chatkit_threads`);
    expect(rows).toEqual([{ id: 'thr_1' }]);
    await pool.end();
  });

  test('pages are served by the (thread_id, created_at, seq) index in both orders', async () => {
    const store = await harness.open();
    const { schema } = store as PostgresStore<Ctx>;
    await store.saveThread(thread('thr_1'), {});
    await store.addThreadItem('thr_1', message('thr_1', 'msg_1'), {});
    const plans = await withClient(async (client) => {
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string) =>
        (await client.query(`EXPLAIN ${sql}`)).rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      return [
        await plan(`SELECT id, data FROM "${schema}".chatkit_items WHERE thread_id = 'thr_1' AND (created_at, seq) > ('x', 1) ORDER BY created_at, seq LIMIT 21`),
        await plan(`SELECT id, data FROM "${schema}".chatkit_items WHERE thread_id = 'thr_1' AND (created_at, seq) < ('x', 1) ORDER BY created_at DESC, seq DESC LIMIT 21`),
      ];
    });
    for (const plan of plans) {
      expect(plan).toMatch(/Index Scan.*chatkit_items_by_thread/);
      expect(plan).not.toMatch(/Sort/);
    }
  });
});
