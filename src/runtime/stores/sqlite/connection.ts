/**
 * What `SQLiteStore` needs from a database, whichever way it reaches it: a
 * worker thread owning a local file (or `:memory:`), or `@libsql/client`
 * talking to a libSQL server. The store's SQL is written once against this.
 */

/** A value bound to a `:name` parameter. */
export type SQLValue = string | number | null;

export interface SQLStatement {
  sql: string;
  args?: Record<string, SQLValue>;
}

/**
 * When a local file's commit counts as done: `full` once the WAL is fsynced
 * (survives a power cut), `normal` once it is written to the OS (survives
 * the process being killed; a power cut or kernel crash may lose the last
 * commits, never corrupt the file).
 */
export type SQLiteSynchronous = 'full' | 'normal';

/** A result row, keyed by column name. */
export type SQLRow = Record<string, unknown>;

export interface SQLiteConnection {
  /** Runs one query and returns its rows. */
  read(statement: SQLStatement): Promise<SQLRow[]>;
  /**
   * Applies the statements atomically (all or none) and resolves, with each
   * statement's changed-row count, only once they are durable.
   */
  write(statements: SQLStatement[]): Promise<number[]>;
  /** Waits for accepted work to finish, then releases the database. */
  close(): Promise<void>;
  /** Set when the connection broke underneath the store (the worker died); the store then opens a new one. */
  readonly broken?: boolean;
}
