/**
 * The PostgreSQL schema, as numbered migrations, rendered for one schema.
 * They run inside a transaction holding a per-schema advisory lock, so the
 * statements are deliberately not `IF NOT EXISTS`: if the lock ever failed to
 * serialize two instances, the second would fail loudly rather than half-apply.
 *
 * `created_at` is `text COLLATE "C"`: ISO-8601 strings compared byte by byte,
 * exactly as the in-process store compares them (a linguistic collation would
 * skip punctuation and misorder `…:00Z` against `…:00.5Z`). `seq` is the
 * insertion sequence that breaks ties; an upsert never changes it.
 */
import type pg from 'pg';
import { quoteSchema } from './connection.js';

export interface PostgresMigration {
  version: number;
  name: string;
  statements: (schema: string) => string[];
}

export const MIGRATIONS_TABLE = 'chatkit_migrations';

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'threads, items and attachments',
    statements: (s) => [
      `CREATE TABLE ${s}.chatkit_threads (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        owner text,
        created_at text COLLATE "C" NOT NULL,
        data json NOT NULL
      )`,
      // loadThreads: the caller's threads in (created_at, seq) order.
      `CREATE INDEX chatkit_threads_by_owner ON ${s}.chatkit_threads (owner, created_at, seq)`,
      `CREATE TABLE ${s}.chatkit_items (
        thread_id text NOT NULL REFERENCES ${s}.chatkit_threads (id) ON DELETE CASCADE,
        id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        created_at text COLLATE "C" NOT NULL,
        data json NOT NULL,
        PRIMARY KEY (thread_id, id)
      )`,
      // loadThreadItems: one thread's items in (created_at, seq) order, both directions.
      `CREATE INDEX chatkit_items_by_thread ON ${s}.chatkit_items (thread_id, created_at, seq)`,
      `CREATE TABLE ${s}.chatkit_attachments (
        id text PRIMARY KEY,
        owner text,
        data json NOT NULL
      )`,
    ],
  },
];

/** First key of the advisory lock taken while migrating ("ckit"); the second is the schema's hash. */
const MIGRATION_LOCK_NAMESPACE = 0x636b6974;

/**
 * Applies pending migrations to `schemaName` in one transaction holding the
 * schema's advisory lock, so instances starting together apply each
 * migration once. Rolls back and rethrows on failure.
 */
export async function applyMigrations(client: pg.ClientBase, schemaName: string): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [MIGRATION_LOCK_NAMESPACE, schemaName]);
    await applyPending(client, schemaName);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function applyPending(client: pg.ClientBase, schemaName: string): Promise<void> {
  const schema = quoteSchema(schemaName);
  // Only create the schema when missing: CREATE SCHEMA needs a privilege an app role may lack.
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.${MIGRATIONS_TABLE} (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.${MIGRATIONS_TABLE}`);
  const applied = new Set(rows.map((row) => row.version));
  for (const migration of POSTGRES_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements(schema)) await client.query(statement);
    await client.query(`INSERT INTO ${schema}.${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
  }
}
