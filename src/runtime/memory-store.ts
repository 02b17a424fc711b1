/**
 * An in-process store: for tests, demos and single-process development.
 * Values are cloned on the way in and out, so callers can never change stored
 * data without saving it, exactly as with a database.
 */
import { NotFoundError } from './errors.js';
import { paginate } from './pagination.js';
import type { Attachment, Page, ThreadItem, ThreadMetadata } from './protocol/items.js';
import { Store, type SortOrder, type StoreOptions } from './store.js';
import { cloneJson } from './clone.js';
import { toMetadata } from './thread-response.js';
import { orderingKey } from './creation-order.js';

interface Row<T> {
  value: T;
  owner: string | null;
  /** Insertion sequence: breaks ties between equal `created_at` values. */
  seq: number;
}

interface ItemRow {
  item: ThreadItem;
  /** `created_at` plus the creation mark, as the SQL stores order it. */
  key: string;
  seq: number;
}

function byCreatedThenSeq(a: { created_at: string; seq: number }, b: { created_at: string; seq: number }): number {
  if (a.created_at < b.created_at) return -1;
  if (a.created_at > b.created_at) return 1;
  return a.seq - b.seq;
}

function byKeyThenSeq(a: ItemRow, b: ItemRow): number {
  if (a.key < b.key) return -1;
  if (a.key > b.key) return 1;
  return a.seq - b.seq;
}


export class MemoryStore<TContext = unknown> extends Store<TContext> {
  private readonly threads = new Map<string, Row<ThreadMetadata>>();
  private readonly items = new Map<string, ItemRow[]>();
  private readonly attachments = new Map<string, Row<Attachment>>();
  private readonly ownerOf: (context: TContext) => string | undefined;
  private seq = 0;

  constructor(options: StoreOptions<TContext> = {}) {
    super();
    this.ownerOf = options.ownerOf ?? (() => undefined);
  }

  private owner(context: TContext): string | null {
    return this.ownerOf(context) ?? null;
  }

  private threadRow(threadId: string, context: TContext): Row<ThreadMetadata> {
    const row = this.threads.get(threadId);
    if (!row || row.owner !== this.owner(context)) {
      throw new NotFoundError(`Thread ${threadId} not found`);
    }
    return row;
  }

  private itemRows(threadId: string, context: TContext): ItemRow[] {
    this.threadRow(threadId, context);
    let rows = this.items.get(threadId);
    if (!rows) this.items.set(threadId, (rows = []));
    return rows;
  }

  async loadThread(threadId: string, context: TContext): Promise<ThreadMetadata> {
    return cloneJson(this.threadRow(threadId, context).value);
  }

  async saveThread(thread: ThreadMetadata, context: TContext): Promise<void> {
    const existing = this.threads.get(thread.id);
    const owner = this.owner(context);
    if (existing && existing.owner !== owner) {
      throw new NotFoundError(`Thread ${thread.id} not found`);
    }
    this.threads.set(thread.id, { value: cloneJson(toMetadata(thread)), owner, seq: existing?.seq ?? ++this.seq });
  }

  /** Atomic: nothing else runs between reading and writing the row. */
  override async updateThread(
    threadId: string,
    change: (stored: ThreadMetadata) => ThreadMetadata,
    context: TContext,
  ): Promise<ThreadMetadata> {
    const row = this.threadRow(threadId, context);
    const updated = toMetadata(change(cloneJson(row.value)));
    this.threads.set(threadId, { ...row, value: cloneJson({ ...updated, id: threadId }) });
    return cloneJson(updated);
  }

  async loadThreads(
    limit: number,
    after: string | null | undefined,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>> {
    const owner = this.owner(context);
    const mine = [...this.threads.values()]
      .filter((row) => row.owner === owner)
      .map((row) => ({ created_at: row.value.created_at, seq: row.seq, value: row.value }))
      .sort(byCreatedThenSeq);
    const page = paginate(mine, (row) => row.value.id, after, limit, order);
    return { ...page, data: page.data.map((row) => cloneJson(row.value)) };
  }

  async deleteThread(threadId: string, context: TContext): Promise<void> {
    this.threadRow(threadId, context);
    this.threads.delete(threadId);
    this.items.delete(threadId);
  }

  async loadThreadItems(
    threadId: string,
    after: string | null | undefined,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>> {
    const rows = this.itemRows(threadId, context);
    const page = paginate(rows, (row) => row.item.id, after, limit, order);
    return { ...page, data: page.data.map((row) => cloneJson(row.item)) };
  }

  async addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    this.upsert(this.itemRows(threadId, context), item);
  }

  async saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    this.upsert(this.itemRows(threadId, context), item);
  }

  private upsert(rows: ItemRow[], item: ThreadItem): void {
    const index = rows.findIndex((row) => row.item.id === item.id);
    const existing = index >= 0 ? rows[index] : undefined;
    const seq = existing ? existing.seq : ++this.seq;
    if (index >= 0) rows.splice(index, 1);
    // Same created_at: the item keeps its place (and its creation mark).
    const key = existing && existing.item.created_at === item.created_at ? existing.key : orderingKey(item.created_at, item);
    const row: ItemRow = { item: cloneJson(item), key, seq };
    // Items nearly always arrive in order, so search from the end.
    let at = rows.length;
    while (at > 0 && byKeyThenSeq(rows[at - 1]!, row) > 0) at--;
    rows.splice(at, 0, row);
  }

  async loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    const row = this.itemRows(threadId, context).find((r) => r.item.id === itemId);
    if (!row) throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    return cloneJson(row.item);
  }

  async deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void> {
    const rows = this.itemRows(threadId, context);
    const index = rows.findIndex((row) => row.item.id === itemId);
    if (index >= 0) rows.splice(index, 1);
  }

  async saveAttachment(attachment: Attachment, context: TContext): Promise<void> {
    const existing = this.attachments.get(attachment.id);
    const owner = this.owner(context);
    if (existing && existing.owner !== owner) {
      throw new NotFoundError(`Attachment ${attachment.id} not found`);
    }
    this.attachments.set(attachment.id, { value: cloneJson(attachment), owner, seq: existing?.seq ?? ++this.seq });
  }

  async loadAttachment(attachmentId: string, context: TContext): Promise<Attachment> {
    const row = this.attachments.get(attachmentId);
    if (!row || row.owner !== this.owner(context)) {
      throw new NotFoundError(`Attachment ${attachmentId} not found`);
    }
    return cloneJson(row.value);
  }

  async deleteAttachment(attachmentId: string, context: TContext): Promise<void> {
    await this.loadAttachment(attachmentId, context);
    this.attachments.delete(attachmentId);
  }
}
