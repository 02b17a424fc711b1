/**
 * `SQLiteStore`: threads, items and attachment records in SQLite. The
 * embedded default: a local file that needs no set-up; the same store also
 * talks to a libSQL server (`libsql://`, `http(s)://`).
 *
 * A local file (or `:memory:`) is owned by a worker thread, so statements
 * and fsyncs never hold up the server's event loop, and concurrent writes
 * share one transaction and one fsync (group commit); a write resolves once
 * it is on disk. A libSQL server is reached through `@libsql/client`, whose
 * network I/O is asynchronous already.
 *
 * Every write is a single statement or one atomic group of statements. The
 * ownership check is part of the write itself (`INSERT … SELECT … WHERE
 * EXISTS (thread)`, `ON CONFLICT … DO UPDATE … WHERE owner IS …`), so there
 * is no window between checking and writing; a write that touched no row is
 * a `NotFoundError`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NotFoundError } from '../../errors.js';
import type { Attachment, Page, ThreadItem, ThreadMetadata } from '../../protocol/items.js';
import { Store, type SortOrder, type StoreOptions } from '../../store.js';
import { toMetadata } from '../../thread-response.js';
import { StoreClosedError } from '../shared/closed.js';
import { createdAtOf } from '../shared/created-at.js';
import { Once } from '../shared/once.js';
import { describeSQLiteStartupError } from '../shared/describe-store-error.js';
import { keepPlaceWhenTimeUnchanged, orderBy } from '../shared/order-by.js';
import { pageFromRows, rowsToFetch } from '../shared/page.js';
import { ClientConnection } from './client-connection.js';
import type { SQLRow, SQLStatement, SQLValue, SQLiteConnection, SQLiteSynchronous } from './connection.js';
import { resolveSQLiteLocation, type SQLiteLocation } from './location.js';
import { applyMigrations } from './migrations.js';
import { WorkerConnection } from './worker-connection.js';

export interface SQLiteStoreOptions<TContext> extends StoreOptions<TContext> {
  /**
   * Where the data lives: a file path or `file:` URL (default
   * `file:.data/chatkit.db`; the directory is created on demand),
   * `:memory:`, or a libSQL server URL (`libsql://`, `http(s)://`, `ws(s)://`).
   */
  url?: string;
  /** Auth token for a libSQL server. */
  authToken?: string;
  /** How long a write waits for another process's lock on a local file (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * When a write to a local file counts as done (default `'full'`).
   * `'full'`: after the WAL is fsynced, so an acknowledged item survives a
   * power cut. `'normal'`: after it reaches the operating system; it survives
   * the process being killed, but a power cut or kernel crash may lose the
   * writes since the last checkpoint (the file stays consistent). Faster
   * with few concurrent writers. Ignored for libSQL servers.
   */
  synchronous?: SQLiteSynchronous;
}

const SYNCHRONOUS_MODES: readonly SQLiteSynchronous[] = ['full', 'normal'];

const T = 'chatkit_threads';
const I = 'chatkit_items';
const A = 'chatkit_attachments';

export class SQLiteStore<TContext = unknown> extends Store<TContext> {
  readonly location: SQLiteLocation;
  private readonly ownerOf: (context: TContext) => string | undefined;
  private readonly authToken: string | undefined;
  private readonly busyTimeoutMs: number;
  private readonly synchronous: SQLiteSynchronous;
  private connection: SQLiteConnection | undefined;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private startup = new Once(() => this.start());

  constructor(options: SQLiteStoreOptions<TContext> = {}) {
    super();
    this.location = resolveSQLiteLocation(options.url);
    this.ownerOf = options.ownerOf ?? (() => undefined);
    this.authToken = options.authToken;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(this.busyTimeoutMs) || this.busyTimeoutMs < 0) {
      throw new TypeError(`SQLiteStore: busyTimeoutMs must be a non-negative integer, got ${String(options.busyTimeoutMs)}`);
    }
    this.synchronous = options.synchronous ?? 'full';
    if (!SYNCHRONOUS_MODES.includes(this.synchronous)) {
      throw new TypeError(`SQLiteStore: synchronous must be 'full' (the default) or 'normal', got ${JSON.stringify(options.synchronous)}`);
    }
  }

  /**
   * Opens the database and applies pending migrations. Optional: every
   * method does it on first use; call it to fail fast at start-up.
   */
  async migrate(): Promise<void> {
    await this.db();
  }

  /** Closes the database once the calls already made have finished. Further calls reject with `StoreClosedError`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.inFlight);
    if (this.startup.started) await this.startup.get().catch(() => {});
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  private async start(): Promise<void> {
    let connection: SQLiteConnection;
    try {
      connection = await this.connect();
    } catch (error) {
      throw describeSQLiteStartupError(error, this.location);
    }
    try {
      await applyMigrations(connection);
    } catch (error) {
      await connection.close();
      throw describeSQLiteStartupError(error, this.location);
    }
    this.connection = connection;
  }

  /** Opens the connection for this location; overridden only by the benchmark's old-driver variant. */
  protected async connect(): Promise<SQLiteConnection> {
    const { location } = this;
    if (location.kind === 'remote') {
      return ClientConnection.open({ url: location.url, authToken: this.authToken, busyTimeoutMs: this.busyTimeoutMs });
    }
    if (location.kind === 'file') await mkdir(dirname(location.path), { recursive: true });
    return WorkerConnection.open({
      path: location.kind === 'file' ? location.path : ':memory:',
      wal: location.kind === 'file',
      busyTimeoutMs: this.busyTimeoutMs,
      synchronous: this.synchronous,
    });
  }

  private async db(): Promise<SQLiteConnection> {
    if (this.closed) throw new StoreClosedError('SQLiteStore');
    // The worker died under us (it should not): the next call starts a fresh one.
    if (this.connection?.broken) {
      this.connection = undefined;
      this.startup = new Once(() => this.start());
    }
    await this.startup.get();
    if (!this.connection) throw new StoreClosedError('SQLiteStore');
    return this.connection;
  }

  private read(statement: SQLStatement): Promise<SQLRow[]> {
    return this.tracked(async () => (await this.db()).read(statement));
  }

  /** One write (one or several statements, atomically), resolved once durable; returns the changed-row counts. */
  private write(...statements: SQLStatement[]): Promise<number[]> {
    return this.tracked(async () => (await this.db()).write(statements));
  }

  /** Calls made before `close()` are let finish: close waits for them (a write still counts once made). */
  private tracked<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('SQLiteStore'));
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  private owner(context: TContext): string | null {
    return this.ownerOf(context) ?? null;
  }

  // ------------------------------------------------------------------ threads

  async loadThread(threadId: string, context: TContext): Promise<ThreadMetadata> {
    const rows = await this.read({
      sql: `SELECT data FROM ${T} WHERE id = :id AND owner IS :owner`,
      args: { id: threadId, owner: this.owner(context) },
    });
    if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    return parse(rows[0]!);
  }

  async saveThread(thread: ThreadMetadata, context: TContext): Promise<void> {
    // A Thread carries a page of items that must not end up in the thread row.
    const metadata = toMetadata(thread);
    const [changed] = await this.write({
      sql: `INSERT INTO ${T} (id, owner, created_at, data) VALUES (:id, :owner, :created_at, :data)
            ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data
            WHERE ${T}.owner IS excluded.owner`,
      args: { id: metadata.id, owner: this.owner(context), created_at: createdAtOf(metadata, 'thread'), data: JSON.stringify(metadata) },
    });
    // The row exists but belongs to someone else: to this caller it does not exist.
    if (changed === 0) throw new NotFoundError(`Thread ${thread.id} not found`);
  }

  async loadThreads(
    limit: number,
    after: string | null | undefined,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>> {
    const fetch = rowsToFetch(limit);
    const owner = this.owner(context);
    const cursor = after
      ? (await this.read({ sql: `SELECT created_at, seq FROM ${T} WHERE id = :id AND owner IS :owner`, args: { id: after, owner } }))[0]
      : undefined;
    const rows = await this.read({
      sql: `SELECT id, data FROM ${T} WHERE owner IS :owner ${cursor ? `AND ${afterCursor(order)}` : ''}
            ${orderBy(order)} LIMIT :fetch`,
      args: { owner, fetch, ...(cursor ? cursorArgs(cursor) : {}) },
    });
    return pageFromRows(rows, limit, (row) => String(row.id), parse<ThreadMetadata>);
  }

  async deleteThread(threadId: string, context: TContext): Promise<void> {
    const owner = this.owner(context);
    const [, deleted] = await this.write(
      {
        sql: `DELETE FROM ${I} WHERE thread_id = :id AND EXISTS (SELECT 1 FROM ${T} WHERE id = :id AND owner IS :owner)`,
        args: { id: threadId, owner },
      },
      { sql: `DELETE FROM ${T} WHERE id = :id AND owner IS :owner`, args: { id: threadId, owner } },
    );
    if (deleted === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  // ------------------------------------------------------------------ items

  async loadThreadItems(
    threadId: string,
    after: string | null | undefined,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>> {
    const fetch = rowsToFetch(limit);
    // One query checks the thread is the caller's and finds the cursor item.
    const found = await this.read({
      sql: `SELECT c.created_at, c.seq FROM ${T} t LEFT JOIN ${I} c ON c.thread_id = t.id AND c.id = :after
            WHERE t.id = :thread AND t.owner IS :owner`,
      args: { thread: threadId, after: after ?? null, owner: this.owner(context) },
    });
    if (found.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    const cursor = found[0]!.seq === null ? undefined : found[0]!;
    const rows = await this.read({
      sql: `SELECT id, data FROM ${I} WHERE thread_id = :thread ${cursor ? `AND ${afterCursor(order)}` : ''}
            ${orderBy(order)} LIMIT :fetch`,
      args: { thread: threadId, fetch, ...(cursor ? cursorArgs(cursor) : {}) },
    });
    return pageFromRows(rows, limit, (row) => String(row.id), parse<ThreadItem>);
  }

  async addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    await this.upsertItem(threadId, item, context);
  }

  async saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    await this.upsertItem(threadId, item, context);
  }

  private async upsertItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    // An existing item keeps its seq: replacing it does not move it past equal-time siblings.
    const [changed] = await this.write({
      sql: `INSERT INTO ${I} (thread_id, id, created_at, data)
            SELECT :thread, :id, :created_at, :data
            WHERE EXISTS (SELECT 1 FROM ${T} WHERE id = :thread AND owner IS :owner)
            ON CONFLICT (thread_id, id) DO UPDATE SET created_at = ${keepPlaceWhenTimeUnchanged(I, 'excluded', 'sqlite')}, data = excluded.data`,
      args: {
        thread: threadId,
        id: item.id,
        created_at: createdAtOf(item, 'item'),
        data: JSON.stringify(item),
        owner: this.owner(context),
      },
    });
    if (changed === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  async loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    const rows = await this.read({
      sql: `SELECT i.data FROM ${T} t LEFT JOIN ${I} i ON i.thread_id = t.id AND i.id = :item
            WHERE t.id = :thread AND t.owner IS :owner`,
      args: { thread: threadId, item: itemId, owner: this.owner(context) },
    });
    if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    if (rows[0]!.data === null) throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    return parse(rows[0]!);
  }

  async deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void> {
    const owner = this.owner(context);
    const [deleted] = await this.write({
      sql: `DELETE FROM ${I} WHERE thread_id = :thread AND id = :item
            AND EXISTS (SELECT 1 FROM ${T} WHERE id = :thread AND owner IS :owner)`,
      args: { thread: threadId, item: itemId, owner },
    });
    // Nothing deleted: either the item was already gone (a no-op) or the thread is not the caller's.
    if (deleted === 0) await this.loadThread(threadId, context);
  }

  // ------------------------------------------------------------------ attachments

  async saveAttachment(attachment: Attachment, context: TContext): Promise<void> {
    const [changed] = await this.write({
      sql: `INSERT INTO ${A} (id, owner, data) VALUES (:id, :owner, :data)
            ON CONFLICT (id) DO UPDATE SET data = excluded.data WHERE ${A}.owner IS excluded.owner`,
      args: { id: attachment.id, owner: this.owner(context), data: JSON.stringify(attachment) },
    });
    if (changed === 0) throw new NotFoundError(`Attachment ${attachment.id} not found`);
  }

  async loadAttachment(attachmentId: string, context: TContext): Promise<Attachment> {
    const rows = await this.read({
      sql: `SELECT data FROM ${A} WHERE id = :id AND owner IS :owner`,
      args: { id: attachmentId, owner: this.owner(context) },
    });
    if (rows.length === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return parse(rows[0]!);
  }

  async deleteAttachment(attachmentId: string, context: TContext): Promise<void> {
    const [deleted] = await this.write({
      sql: `DELETE FROM ${A} WHERE id = :id AND owner IS :owner`,
      args: { id: attachmentId, owner: this.owner(context) },
    });
    if (deleted === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
  }
}

function parse<T>(row: SQLRow): T {
  return JSON.parse(String(row.data)) as T;
}

/** The cursor row's sort key, bound to `:created_at` and `:seq`. */
function cursorArgs(cursor: SQLRow): { created_at: SQLValue; seq: SQLValue } {
  return { created_at: cursor.created_at as SQLValue, seq: cursor.seq as SQLValue };
}

/** Rows strictly after the cursor row in the given order; ties on created_at fall back to seq. */
function afterCursor(order: SortOrder): string {
  return order === 'asc' ? '(created_at, seq) > (:created_at, :seq)' : '(created_at, seq) < (:created_at, :seq)';
}
