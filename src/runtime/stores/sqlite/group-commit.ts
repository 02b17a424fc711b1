/**
 * Group commit, run inside the database worker on a synchronous connection.
 *
 * Everything that arrived while the previous batch was being written is one
 * batch: its reads run first (they were issued before these writes were
 * acknowledged, so they need not see them), then all its writes share one
 * `BEGIN IMMEDIATE … COMMIT`, so one fsync makes a whole batch durable
 * instead of one fsync per statement. Each caller's statements sit in their
 * own savepoint: a caller whose statement fails (a constraint, a trigger) is
 * rolled back alone and gets its error, the others still commit. No outcome
 * of a write leaves the worker before `COMMIT` has returned, so an
 * acknowledged write is on disk; a crash before that loses the whole batch,
 * none of which was acknowledged.
 */
// Type-only imports: the worker loads this file without a TypeScript loader (see worker.ts).
import type { SQLRow, SQLStatement, SQLValue } from './connection.js';
import type { SerializedError, WorkerOutcome, WorkerRequest } from './worker-protocol.js';

/** The part of a synchronous SQLite driver (libsql's better-sqlite3-style API) the batch needs. */
export interface SyncDatabase {
  prepare(sql: string): SyncStatement;
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

export interface SyncStatement {
  all(...args: [] | [Record<string, SQLValue>]): unknown[];
  run(...args: [] | [Record<string, SQLValue>]): { changes: number | bigint };
}

type Read = Extract<WorkerRequest, { kind: 'read' }>;
type Write = Extract<WorkerRequest, { kind: 'write' }>;

/** Prepared statements are reused: the store issues a small, fixed set of SQL texts. */
const STATEMENT_CACHE_LIMIT = 256;

export class GroupCommit {
  private readonly statements = new Map<string, SyncStatement>();
  private readonly db: SyncDatabase;

  constructor(db: SyncDatabase) {
    this.db = db;
  }

  /** Runs one batch and returns an outcome for every request, in no particular order. */
  run(requests: readonly (Read | Write)[]): WorkerOutcome[] {
    const outcomes: WorkerOutcome[] = [];
    const writes: Write[] = [];
    for (const request of requests) {
      if (request.kind === 'write') writes.push(request);
      else outcomes.push(this.read(request));
    }
    if (writes.length > 0) outcomes.push(...this.writeAll(writes));
    return outcomes;
  }

  private read(request: Read): WorkerOutcome {
    try {
      return { id: request.id, ok: true, rows: this.all(request.statement) };
    } catch (error) {
      return { id: request.id, ok: false, error: serializeError(error) };
    }
  }

  private writeAll(writes: readonly Write[]): WorkerOutcome[] {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      // Another process held the write lock past the busy timeout: nothing was written.
      return failAll(writes, serializeError(error));
    }
    const outcomes: WorkerOutcome[] = [];
    for (const write of writes) {
      this.db.exec('SAVEPOINT caller');
      try {
        const changes = write.statements.map((statement) => this.change(statement));
        this.db.exec('RELEASE caller');
        outcomes.push({ id: write.id, ok: true, changes });
      } catch (error) {
        // Some errors (disk full, I/O) make SQLite roll the whole transaction
        // back: then nothing of this batch is written, and every caller hears so.
        if (!this.db.inTransaction) return failAll(writes, serializeError(error));
        this.db.exec('ROLLBACK TO caller');
        this.db.exec('RELEASE caller');
        outcomes.push({ id: write.id, ok: false, error: serializeError(error) });
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      return failAll(writes, serializeError(error));
    }
    return outcomes;
  }

  private all(statement: SQLStatement): SQLRow[] {
    const prepared = this.prepared(statement.sql);
    return (statement.args ? prepared.all(statement.args) : prepared.all()) as SQLRow[];
  }

  private change(statement: SQLStatement): number {
    const prepared = this.prepared(statement.sql);
    return Number((statement.args ? prepared.run(statement.args) : prepared.run()).changes);
  }

  private prepared(sql: string): SyncStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function failAll(writes: readonly Write[], error: SerializedError): WorkerOutcome[] {
  return writes.map((write) => ({ id: write.id, ok: false, error }));
}

/** An error as plain data for `postMessage`, keeping the driver's SQLite code (`SQLITE_CONSTRAINT_…`). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}
