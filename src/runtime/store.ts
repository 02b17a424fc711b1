/**
 * The persistence contracts. Every method receives the request context last,
 * so a store can scope data per user. `MemoryStore`, `SQLiteStore` and
 * `PostgresStore` implement `Store`; any class that extends it works with
 * `ChatKitServer`.
 */
import { NotImplementedError } from './errors.js';
import { defaultGenerateId, type StoreItemType } from './ids.js';
import type { AttachmentCreateParams } from './protocol/requests.js';
import type { Attachment, Page, ThreadItem, ThreadMetadata } from './protocol/items.js';

export type SortOrder = 'asc' | 'desc';

export abstract class Store<TContext = unknown> {
  generateThreadId(_context: TContext): string {
    return defaultGenerateId('thread');
  }

  generateItemId(type: StoreItemType, _thread: ThreadMetadata, _context: TContext): string {
    return defaultGenerateId(type);
  }

  /** @throws NotFoundError when the thread does not exist (or is not the caller's). */
  abstract loadThread(threadId: string, context: TContext): Promise<ThreadMetadata>;
  /** Upsert of the thread metadata. */
  abstract saveThread(thread: ThreadMetadata, context: TContext): Promise<void>;
  /**
   * Read-modify-write of one thread: `change` receives the stored metadata
   * and returns what to save; the saved metadata is returned. The server
   * changes threads through this (`threads.update`, a stream saving the
   * thread its handler changed), so concurrent changes merge instead of the
   * last whole-thread save winning. This default loads then saves; a store
   * that can lock the row overrides it to make the pair atomic
   * (`MemoryStore` and `PostgresStore` do).
   *
   * @throws NotFoundError when the thread does not exist (or is not the caller's).
   */
  async updateThread(
    threadId: string,
    change: (stored: ThreadMetadata) => ThreadMetadata,
    context: TContext,
  ): Promise<ThreadMetadata> {
    const updated = change(await this.loadThread(threadId, context));
    await this.saveThread(updated, context);
    return updated;
  }
  /**
   * A page of items ordered by `created_at` (ties by insertion order).
   * `after` is an exclusive cursor (an item id); the page's `after` is the id
   * of its last row when `has_more`.
   */
  abstract loadThreadItems(
    threadId: string,
    after: string | null | undefined,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>>;
  /** Insert, or replace an item with the same id (the agents bridge re-adds workflows). */
  abstract addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** Upsert by id. */
  abstract saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** @throws NotFoundError */
  abstract loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem>;
  /** Deletes the thread and its items. */
  abstract deleteThread(threadId: string, context: TContext): Promise<void>;
  /** A no-op when the item does not exist. */
  abstract deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void>;
  abstract loadThreads(
    limit: number,
    after: string | null | undefined,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>>;
  /** Upsert. */
  abstract saveAttachment(attachment: Attachment, context: TContext): Promise<void>;
  /** @throws NotFoundError */
  abstract loadAttachment(attachmentId: string, context: TContext): Promise<Attachment>;
  abstract deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
}

/** Where attachment bytes live. The `Store` keeps the attachment records. */
export abstract class AttachmentStore<TContext = unknown> {
  /** Deletes the stored bytes. */
  abstract deleteAttachment(attachmentId: string, context: TContext): Promise<void>;

  /**
   * Two-phase upload: build the attachment record with an `upload_descriptor`
   * (and `preview_url` for images). Do not save it: the server calls
   * `store.saveAttachment` right after.
   */
  createAttachment(_input: AttachmentCreateParams, _context: TContext): Promise<Attachment> {
    return Promise.reject(
      new NotImplementedError(
        `${this.constructor.name} must override createAttachment() to support two-phase upload (attachments.create)`,
      ),
    );
  }

  generateAttachmentId(_mimeType: string, _context: TContext): string {
    return defaultGenerateId('attachment');
  }
}

/** Options every bundled store accepts. */
export interface StoreOptions<TContext> {
  /**
   * Per-user isolation: the owner of the request. When set, threads and
   * attachments are stamped with it, and anything owned by someone else is
   * indistinguishable from something that does not exist.
   */
  ownerOf?: (context: TContext) => string | undefined;
}
