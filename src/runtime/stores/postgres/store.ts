/**
 * `PostgresStore`: threads, items and attachment records in PostgreSQL via a
 * `pg` pool, for deployments where several backend instances share one
 * database.
 *
 * Every write is a single statement with the ownership check inside it, so
 * instances never race between checking and writing. Items reference their
 * thread (`ON DELETE CASCADE`): an item written while its thread is being
 * deleted either waits for the delete and fails, or is deleted with it, and
 * deleting a thread removes its items in the same statement.
 */
import pg from 'pg';
import { NotFoundError } from '../../errors.js';
import type { Attachment, Page, ThreadItem, ThreadMetadata } from '../../protocol/items.js';
import { Store, type SortOrder, type StoreOptions } from '../../store.js';
import { toMetadata } from '../../thread-response.js';
import { StoreClosedError } from '../shared/closed.js';
import { createdAtOf } from '../shared/created-at.js';
import { hasNul } from '../shared/nul.js';
import { Once } from '../shared/once.js';
import { keepPlaceWhenTimeUnchanged, orderBy } from '../shared/order-by.js';
import { pageFromRows, rowsToFetch } from '../shared/page.js';
import { chooseConnectionString, quoteSchema, type ConnectionChoice } from './connection.js';
import { describePostgresStartupError } from '../shared/describe-store-error.js';
import { applyMigrations } from './migrations.js';

export interface PostgresStoreOptions<TContext> extends StoreOptions<TContext> {
  /** `postgres://user:password@host:5432/db`; defaults to `DATABASE_URL`. Ignored when `pool` is given. */
  connectionString?: string;
  /** Use this pool instead of creating one; `close()` then leaves it open. */
  pool?: pg.Pool;
  /** Maximum connections of the pool the store creates (default 10). */
  max?: number;
  /** How long to wait for a connection before failing (default 10000 ms), so an unreachable server is an error, not a hang. */
  connectTimeoutMs?: number;
  /** Schema holding the tables (default `public`); created if missing. */
  schema?: string;
}

interface DataRow {
  id: string;
  data: unknown;
}

const FOREIGN_KEY_VIOLATION = '23503';

export class PostgresStore<TContext = unknown> extends Store<TContext> {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly connection: ConnectionChoice | undefined;
  private readonly ownerOf: (context: TContext) => string | undefined;
  private readonly threads: string;
  private readonly items: string;
  private readonly attachments: string;
  private closed = false;
  private readonly startup = new Once(() => this.start());

  constructor(options: PostgresStoreOptions<TContext> = {}) {
    super();
    this.schema = options.schema ?? 'public';
    const schema = quoteSchema(this.schema);
    this.threads = `${schema}.chatkit_threads`;
    this.items = `${schema}.chatkit_items`;
    this.attachments = `${schema}.chatkit_attachments`;
    this.ownerOf = options.ownerOf ?? (() => undefined);
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      this.connection = chooseConnectionString(options.connectionString);
      this.pool = new pg.Pool({
        connectionString: this.connection.connectionString,
        max: options.max ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      });
      this.ownsPool = true;
    }
    // An idle connection dropped by the server is discarded by the pool; the
    // next query reports the problem. Without a listener it would crash the process.
    this.pool.on('error', () => {});
  }

  /**
   * Connects and applies pending migrations (under an advisory lock, so
   * instances starting together apply each migration once). Optional: every
   * method does it on first use; call it to fail fast at start-up.
   */
  async migrate(): Promise<void> {
    await this.ready();
  }

  /** Ends the pool (unless it was passed in). Further calls reject with `StoreClosedError`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.startup.started) await this.startup.get().catch(() => {});
    if (this.ownsPool) await this.pool.end();
  }

  private async start(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw describePostgresStartupError(error, this.connection?.connectionString, this.connection?.source ?? 'options');
    }
    try {
      await applyMigrations(client, this.schema);
    } catch (error) {
      // A client that failed mid-transaction is discarded rather than returned to the pool.
      client.release(error as Error);
      throw error;
    }
    client.release();
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new StoreClosedError('PostgresStore');
    await this.startup.get();
    if (this.closed) throw new StoreClosedError('PostgresStore');
  }

  private async query<R extends pg.QueryResultRow = DataRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    await this.ready();
    return this.pool.query<R>(sql, values);
  }

  private owner(context: TContext): string | null {
    return this.ownerOf(context) ?? null;
  }

  /** A key (or the caller's owner) PostgreSQL text cannot hold: nothing stored can match it. */
  private unstorable(key: string, context: TContext): boolean {
    return hasNul(key) || hasNul(this.owner(context));
  }

  /** A write whose key cannot be stored fails with a message saying why, not with the driver's encoding error. */
  private refuseNul(what: string, key: string, context: TContext): void {
    if (hasNul(key)) throw new TypeError(`PostgresStore cannot store a ${what} containing U+0000: ${JSON.stringify(key)}`);
    if (hasNul(this.owner(context))) throw new TypeError('PostgresStore cannot store an owner (ownerOf) containing U+0000');
  }

  // ------------------------------------------------------------------ threads

  async loadThread(threadId: string, context: TContext): Promise<ThreadMetadata> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    const { rows } = await this.query(
      `SELECT id, data FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text`,
      [threadId, this.owner(context)],
    );
    if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    return rows[0]!.data as ThreadMetadata;
  }

  async saveThread(thread: ThreadMetadata, context: TContext): Promise<void> {
    this.refuseNul('thread id', thread.id, context);
    // A Thread carries a page of items that must not end up in the thread row.
    const metadata = toMetadata(thread);
    const result = await this.query(
      `INSERT INTO ${this.threads} AS t (id, owner, created_at, data) VALUES ($1, $2, $3, $4::json)
       ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, data = EXCLUDED.data
       WHERE t.owner IS NOT DISTINCT FROM EXCLUDED.owner`,
      [metadata.id, this.owner(context), createdAtOf(metadata, 'thread'), JSON.stringify(metadata)],
    );
    // The row exists but belongs to someone else: to this caller it does not exist.
    if (result.rowCount === 0) throw new NotFoundError(`Thread ${thread.id} not found`);
  }

  /** One transaction holding the row lock, so a concurrent update waits and then sees this one. */
  override async updateThread(
    threadId: string,
    change: (stored: ThreadMetadata) => ThreadMetadata,
    context: TContext,
  ): Promise<ThreadMetadata> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    await this.ready();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DataRow>(
        `SELECT id, data FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text FOR UPDATE`,
        [threadId, this.owner(context)],
      );
      if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
      const updated = toMetadata(change(rows[0]!.data as ThreadMetadata));
      await client.query(`UPDATE ${this.threads} SET created_at = $2, data = $3::json WHERE id = $1`, [
        threadId,
        createdAtOf(updated, 'thread'),
        JSON.stringify(updated),
      ]);
      await client.query('COMMIT');
      client.release();
      return updated;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      throw error;
    }
  }

  async loadThreads(
    limit: number,
    after: string | null | undefined,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>> {
    const fetch = rowsToFetch(limit);
    const owner = this.owner(context);
    if (hasNul(owner)) return { data: [], has_more: false };
    if (hasNul(after)) after = null;
    // `owner = $n` / `owner IS NULL` rather than IS NOT DISTINCT FROM, which no index serves.
    const values: unknown[] = [fetch];
    const mine = owner === null ? 'owner IS NULL' : `owner = $${values.push(owner)}`;
    let range = '';
    if (after) {
      // An unknown cursor (or someone else's thread) starts from the beginning.
      const found = await this.query<{ created_at: string; seq: string }>(
        `SELECT created_at, seq FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text`,
        [after, owner],
      );
      const cursor = found.rows[0];
      if (cursor) {
        const seqParam = values.push(cursor.created_at, cursor.seq);
        range = `AND ${afterCursor(order, seqParam - 1)}`;
      }
    }
    const { rows } = await this.query(
      `SELECT id, data FROM ${this.threads} WHERE ${mine} ${range} ${orderBy(order)} LIMIT $1`,
      values,
    );
    return pageFromRows(rows, limit, (row) => row.id, (row) => row.data as ThreadMetadata);
  }

  async deleteThread(threadId: string, context: TContext): Promise<void> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    const result = await this.query(
      `DELETE FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text`,
      [threadId, this.owner(context)],
    );
    if (result.rowCount === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  // ------------------------------------------------------------------ items

  async loadThreadItems(
    threadId: string,
    after: string | null | undefined,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    // A cursor that cannot be stored names no item: the page starts from the beginning, as for any unknown cursor.
    if (hasNul(after)) after = null;
    const fetch = rowsToFetch(limit);
    // One query checks the thread is the caller's and finds the cursor item.
    const found = await this.query<{ created_at: string | null; seq: string | null }>(
      `SELECT c.created_at, c.seq FROM ${this.threads} t LEFT JOIN ${this.items} c ON c.thread_id = t.id AND c.id = $2
       WHERE t.id = $1 AND t.owner IS NOT DISTINCT FROM $3::text`,
      [threadId, after ?? null, this.owner(context)],
    );
    if (found.rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    const cursor = found.rows[0]!;
    const values: unknown[] = [threadId, fetch];
    let range = '';
    if (cursor.seq !== null) {
      const seqParam = values.push(cursor.created_at, cursor.seq);
      range = `AND ${afterCursor(order, seqParam - 1)}`;
    }
    const { rows } = await this.query(
      `SELECT id, data FROM ${this.items} WHERE thread_id = $1 ${range} ${orderBy(order)} LIMIT $2`,
      values,
    );
    return pageFromRows(rows, limit, (row) => row.id, (row) => row.data as ThreadItem);
  }

  async addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    await this.upsertItem(threadId, item, context);
  }

  async saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    await this.upsertItem(threadId, item, context);
  }

  private async upsertItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    this.refuseNul('item id', item.id, context);
    // An existing item keeps its seq, and its ordering key while created_at is unchanged:
    // replacing it does not move it past equal-time siblings.
    const result = await this.query(
      `INSERT INTO ${this.items} AS i (thread_id, id, created_at, data)
       SELECT $1::text, $2::text, $3::text, $4::json
       WHERE EXISTS (SELECT 1 FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $5::text)
       ON CONFLICT (thread_id, id) DO UPDATE SET created_at = ${keepPlaceWhenTimeUnchanged('i', 'EXCLUDED', 'postgres')}, data = EXCLUDED.data`,
      [threadId, item.id, createdAtOf(item, 'item'), JSON.stringify(item), this.owner(context)],
    ).catch((error: unknown) => {
      // The thread was deleted by another instance between the EXISTS check and the foreign key check.
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new NotFoundError(`Thread ${threadId} not found`, { cause: error });
      throw error;
    });
    if (result.rowCount === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  async loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    if (hasNul(itemId)) {
      await this.loadThread(threadId, context);
      throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    }
    const { rows } = await this.query<{ data: unknown }>(
      `SELECT i.data FROM ${this.threads} t LEFT JOIN ${this.items} i ON i.thread_id = t.id AND i.id = $2
       WHERE t.id = $1 AND t.owner IS NOT DISTINCT FROM $3::text`,
      [threadId, itemId, this.owner(context)],
    );
    if (rows.length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
    if (rows[0]!.data === null) throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    return rows[0]!.data as ThreadItem;
  }

  async deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void> {
    if (this.unstorable(threadId, context)) throw new NotFoundError(`Thread ${threadId} not found`);
    if (hasNul(itemId)) {
      await this.loadThread(threadId, context); // a missing item is a no-op; a missing thread is not
      return;
    }
    const result = await this.query(
      `DELETE FROM ${this.items} WHERE thread_id = $1 AND id = $2
       AND EXISTS (SELECT 1 FROM ${this.threads} WHERE id = $1 AND owner IS NOT DISTINCT FROM $3::text)`,
      [threadId, itemId, this.owner(context)],
    );
    // Nothing deleted: either the item was already gone (a no-op) or the thread is not the caller's.
    if (result.rowCount === 0) await this.loadThread(threadId, context);
  }

  // ------------------------------------------------------------------ attachments

  async saveAttachment(attachment: Attachment, context: TContext): Promise<void> {
    this.refuseNul('attachment id', attachment.id, context);
    const result = await this.query(
      `INSERT INTO ${this.attachments} AS a (id, owner, data) VALUES ($1, $2, $3::json)
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data WHERE a.owner IS NOT DISTINCT FROM EXCLUDED.owner`,
      [attachment.id, this.owner(context), JSON.stringify(attachment)],
    );
    if (result.rowCount === 0) throw new NotFoundError(`Attachment ${attachment.id} not found`);
  }

  async loadAttachment(attachmentId: string, context: TContext): Promise<Attachment> {
    if (this.unstorable(attachmentId, context)) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    const { rows } = await this.query(
      `SELECT id, data FROM ${this.attachments} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text`,
      [attachmentId, this.owner(context)],
    );
    if (rows.length === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return rows[0]!.data as Attachment;
  }

  async deleteAttachment(attachmentId: string, context: TContext): Promise<void> {
    if (this.unstorable(attachmentId, context)) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    const result = await this.query(
      `DELETE FROM ${this.attachments} WHERE id = $1 AND owner IS NOT DISTINCT FROM $2::text`,
      [attachmentId, this.owner(context)],
    );
    if (result.rowCount === 0) throw new NotFoundError(`Attachment ${attachmentId} not found`);
  }
}

/**
 * Rows strictly after the cursor row in the given order; ties on created_at
 * fall back to seq. The cursor's created_at and seq are the query parameters
 * at `createdAtParam` and the one after it.
 */
function afterCursor(order: SortOrder, createdAtParam: number): string {
  return `(created_at, seq) ${order === 'asc' ? '>' : '<'} ($${createdAtParam}::text COLLATE "C", $${createdAtParam + 1}::bigint)`;
}
