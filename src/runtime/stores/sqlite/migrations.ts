/**
 * The SQLite schema, as numbered migrations. Applied versions are recorded in
 * `chatkit_migrations`; each pending migration is one atomic write (inside a
 * `BEGIN IMMEDIATE` transaction) whose first statement records its version,
 * so when two processes start at once the second one's write fails on that
 * row (the migration is already there) instead of applying it twice.
 *
 * `seq` (an AUTOINCREMENT rowid) is the insertion sequence that breaks ties
 * between equal `created_at` values; it never changes on upsert.
 */
import type { SQLiteConnection } from './connection.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS_TABLE = 'chatkit_migrations';

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
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

/** Applies pending migrations; safe when several processes start at once. */
export async function applyMigrations(connection: SQLiteConnection): Promise<void> {
  await connection.write([{ sql: CREATE_MIGRATIONS_TABLE }]);
  const rows = await connection.read({ sql: `SELECT version FROM ${MIGRATIONS_TABLE}` });
  const applied = new Set(rows.map((row) => Number(row.version)));
  for (const migration of SQLITE_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    try {
      await connection.write([
        {
          sql: `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (:version, :name, :at)`,
          args: { version: migration.version, name: migration.name, at: new Date().toISOString() },
        },
        ...migration.statements.map((sql) => ({ sql })),
      ]);
    } catch (error) {
      // Another process applied this version between our read and our batch: that is fine.
      const again = await connection.read({
        sql: `SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = :version`,
        args: { version: migration.version },
      });
      if (again.length === 0) throw error;
    }
  }
}
