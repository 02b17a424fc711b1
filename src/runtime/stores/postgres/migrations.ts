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
