/**
 * `SQLiteStore`: threads, items and attachment records in SQLite through
 * `@libsql/client` (prebuilt binaries, so no compiler is needed). The
 * embedded default: a local file that needs no set-up; the same store also
 * talks to a libSQL server (`libsql://`, `http(s)://`).
 *
 * Every write is a single statement or one atomic batch. The ownership check
 * is part of the write itself (`INSERT … SELECT … WHERE EXISTS (thread)`,
 * `ON CONFLICT … DO UPDATE … WHERE owner IS …`), so there is no window
 * between checking and writing; a write that touched no row is a
 * `NotFoundError`. Interactive transactions are avoided on purpose: the local
 * driver is synchronous, so a transaction held across an `await` would make
 * another connection in the same process busy-wait on the event loop.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createClient, type Client, type InStatement, type Row } from '@libsql/client';
import { NotFoundError } from '../../errors.js';
import type { Attachment, Page, ThreadItem, ThreadMetadata } from '../../protocol/items.js';
import { Store, type SortOrder, type StoreOptions } from '../../store.js';
import { toMetadata } from '../../thread-response.js';
import { StoreClosedError } from '../shared/closed.js';
import { createdAtOf } from '../shared/created-at.js';
import { Once } from '../shared/once.js';
import { describeSQLiteStartupError } from '../shared/describe-store-error.js';
import { orderBy } from '../shared/order-by.js';
import { pageFromRows, rowsToFetch } from '../shared/page.js';
import { resolveSQLiteLocation, type SQLiteLocation } from './location.js';
import { applyMigrations } from './migrations.js';

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
}

const T = 'chatkit_threads';
const I = 'chatkit_items';
const A = 'chatkit_attachments';

export class SQLiteStore<TContext = unknown> extends Store<TContext> {
  readonly location: SQLiteLocation;
  private readonly ownerOf: (context: TContext) => string | undefined;
  private readonly authToken: string | undefined;
  private readonly busyTimeoutMs: number;
  private client: Client | undefined;
  private closed = false;
  private readonly startup = new Once(() => this.start());

  constructor(options: SQLiteStoreOptions<TContext> = {}) {
    super();
    this.location = resolveSQLiteLocation(options.url);
    this.ownerOf = options.ownerOf ?? (() => undefined);
    this.authToken = options.authToken;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(this.busyTimeoutMs) || this.busyTimeoutMs < 0) {
      throw new TypeError(`SQLiteStore: busyTimeoutMs must be a non-negative integer, got ${String(options.busyTimeoutMs)}`);
    }
  }

  /**
   * Opens the database and applies pending migrations. Optional: every
   * method does it on first use; call it to fail fast at start-up.
   */
  async migrate(): Promise<void> {
    await this.db();
  }

  /** Closes the database. Further calls reject with `StoreClosedError`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.startup.started) await this.startup.get().catch(() => {});
    this.client?.close();
  }

  private async start(): Promise<void> {
    let client: Client | undefined;
    try {
      if (this.location.kind === 'file') await mkdir(dirname(this.location.path), { recursive: true });
      client = createClient({ url: this.location.url, authToken: this.authToken, timeout: this.busyTimeoutMs });
      // WAL lets readers proceed while a write commits; the setting is stored in the file.
      if (this.location.kind === 'file') await client.execute('PRAGMA journal_mode = WAL');
      await applyMigrations(client);
    } catch (error) {
      client?.close();
      throw describeSQLiteStartupError(error, this.location);
    }
    this.client = client;
  }

  private async db(): Promise<Client> {
    if (this.closed) throw new StoreClosedError('SQLiteStore');
    await this.startup.get();
    if (this.closed || !this.client) throw new StoreClosedError('SQLiteStore');
    return this.client;
  }

  private async run(statement: InStatement) {
    return (await this.db()).execute(statement);
  }

  private owner(context: TContext): string | null {
    return this.ownerOf(context) ?? null;
  }

  // ------------------------------------------------------------------ threads

  async loadThread(threadId: string, context: TContext): Promise<ThreadMetadata> {
    const { rows } = await this.run({
      sql: `SELECT data FROM ${T} WHERE id = :id AND owner IS :owner`,
      args: { id: threadId, owner: this.owner(context) },
    });
    if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    return parse(rows[0]!);
  }

  async saveThread(thread: ThreadMetadata, context: TContext): Promise<void> {
    // A Thread carries a page of items that must not end up in the thread row.
    const metadata = toMetadata(thread);
    const result = await this.run({
      sql: `INSERT INTO ${T} (id, owner, created_at, data) VALUES (:id, :owner, :created_at, :data)
            ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data
            WHERE ${T}.owner IS excluded.owner`,
      args: { id: metadata.id, owner: this.owner(context), created_at: createdAtOf(metadata, 'thread'), data: JSON.stringify(metadata) },
    });
    // The row exists but belongs to someone else: to this caller it does not exist.
    if (result.rowsAffected === 0) throw new NotFoundError(`Thread ${thread.id} not found`);
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
      ? (await this.run({ sql: `SELECT created_at, seq FROM ${T} WHERE id = :id AND owner IS :owner`, args: { id: after, owner } })).rows[0]
      : undefined;
    const { rows } = await this.run({
      sql: `SELECT id, data FROM ${T} WHERE owner IS :owner ${cursor ? `AND ${afterCursor(order)}` : ''}
            ${orderBy(order)} LIMIT :fetch`,
      args: { owner, fetch, ...(cursor ? { created_at: cursor.created_at, seq: cursor.seq } : {}) },
    });
    return pageFromRows(rows, limit, (row) => String(row.id), parse<ThreadMetadata>);
  }

  async deleteThread(threadId: string, context: TContext): Promise<void> {
    const owner = this.owner(context);
    const [, deleted] = await (await this.db()).batch(
      [
        {
          sql: `DELETE FROM ${I} WHERE thread_id = :id AND EXISTS (SELECT 1 FROM ${T} WHERE id = :id AND owner IS :owner)`,
          args: { id: threadId, owner },
        },
        { sql: `DELETE FROM ${T} WHERE id = :id AND owner IS :owner`, args: { id: threadId, owner } },
      ],
      'write',
    );
    if (deleted!.rowsAffected === 0) throw new NotFoundError(`Thread ${threadId} not found`);
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
    const { rows: found } = await this.run({
      sql: `SELECT c.created_at, c.seq FROM ${T} t LEFT JOIN ${I} c ON c.thread_id = t.id AND c.id = :after
            WHERE t.id = :thread AND t.owner IS :owner`,
      args: { thread: threadId, after: after ?? null, owner: this.owner(context) },
    });
    if (found.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    const cursor = found[0]!.seq === null ? undefined : found[0]!;
    const { rows } = await this.run({
      sql: `SELECT id, data FROM ${I} WHERE thread_id = :thread ${cursor ? `AND ${afterCursor(order)}` : ''}
            ${orderBy(order)} LIMIT :fetch`,
      args: { thread: threadId, fetch, ...(cursor ? { created_at: cursor.created_at, seq: cursor.seq } : {}) },
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
    const result = await this.run({
      sql: `INSERT INTO ${I} (thread_id, id, created_at, data)
            SELECT :thread, :id, :created_at, :data
            WHERE EXISTS (SELECT 1 FROM ${T} WHERE id = :thread AND owner IS :owner)
            ON CONFLICT (thread_id, id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data`,
      args: {
        thread: threadId,
        id: item.id,
        created_at: createdAtOf(item, 'item'),
        data: JSON.stringify(item),
        owner: this.owner(context),
      },
    });
    if (result.rowsAffected === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  async loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    const { rows } = await this.run({
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
    const result = await this.run({
      sql: `DELETE FROM ${I} WHERE thread_id = :thread AND id = :item
            AND EXISTS (SELECT 1 FROM ${T} WHERE id = :thread AND owner IS :owner)`,
      args: { thread: threadId, item: itemId, owner },
    });
    // Nothing deleted: either the item was already gone (a no-op) or the thread is not the caller's.
    if (result.rowsAffected === 0) await this.loadThread(threadId, context);
  }

  // ------------------------------------------------------------------ attachments

  async saveAttachment(attachment: Attachment, context: TContext): Promise<void> {
    const result = await this.run({
      sql: `INSERT INTO ${A} (id, owner, data) VALUES (:id, :owner, :data)
            ON CONFLICT (id) DO UPDATE SET data = excluded.data WHERE ${A}.owner IS excluded.owner`,
      args: { id: attachment.id, owner: this.owner(context), data: JSON.stringify(attachment) },
    });
    if (result.rowsAffected === 0) throw new NotFoundError(`Attachment ${attachment.id} not found`);
  }

  async loadAttachment(attachmentId: string, context: TContext): Promise<Attachment> {
    const { rows } = await this.run({
      sql: `SELECT data FROM ${A} WHERE id = :id AND owner IS :owner`,
      args: { id: attachmentId, owner: this.owner(context) },
    });
    if (rows.length === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return parse(rows[0]!);
  }

  async deleteAttachment(attachmentId: string, context: TContext): Promise<void> {
    const result = await this.run({
      sql: `DELETE FROM ${A} WHERE id = :id AND owner IS :owner`,
      args: { id: attachmentId, owner: this.owner(context) },
    });
    if (result.rowsAffected === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
  }
}

function parse<T>(row: Row): T {
  return JSON.parse(String(row.data)) as T;
}

/** Rows strictly after the cursor row in the given order; ties on created_at fall back to seq. */
function afterCursor(order: SortOrder): string {
  return order === 'asc' ? '(created_at, seq) > (:created_at, :seq)' : '(created_at, seq) < (:created_at, :seq)';
}
