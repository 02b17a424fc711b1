/**
 * The SQLite schema, as numbered migrations. Applied versions are recorded in
 * `chatkit_migrations`; each pending migration runs in one `BEGIN IMMEDIATE`
 * batch whose first statement records its version, so when two processes
 * start at once the second one's batch fails on that row (the migration is
 * already there) instead of applying it twice.
 *
 * `seq` (an AUTOINCREMENT rowid) is the insertion sequence that breaks ties
 * between equal `created_at` values; it never changes on upsert.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS_TABLE = 'chatkit_migrations';

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'threads, items and attachments',
    statements: [
      `CREATE TABLE chatkit_threads (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        owner TEXT,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
      )`,
      // loadThreads: the caller's threads in (created_at, seq) order.
      `CREATE INDEX chatkit_threads_by_owner ON chatkit_threads (owner, created_at, seq)`,
      `CREATE TABLE chatkit_items (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        thread_id TEXT NOT NULL,
        id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (thread_id, id)
      )`,
      // loadThreadItems: one thread's items in (created_at, seq) order, both directions.
      `CREATE INDEX chatkit_items_by_thread ON chatkit_items (thread_id, created_at, seq)`,
      `CREATE TABLE chatkit_attachments (
        id TEXT PRIMARY KEY,
        owner TEXT,
        data TEXT NOT NULL
      )`,
    ],
  },
];
