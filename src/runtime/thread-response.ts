/**
 * The client's view of threads, pages and attachments: what the server
 * serializes, with the reference's key order and nothing server-side.
 */
import { isHiddenItem, type Attachment, type Page, type Thread, type ThreadItem, type ThreadMetadata } from './protocol/items.js';

/** Thread metadata without `items`: what stores save. */
export function toMetadata(thread: ThreadMetadata): ThreadMetadata {
  if (!('items' in thread)) return thread;
  const { items: _items, ...metadata } = thread as Thread;
  return metadata;
}

/**
 * The client's view of a thread: server-side `metadata` is replaced by `{}`,
 * hidden items are filtered out, and keys follow the reference's order.
 */
export function toThreadResponse(thread: ThreadMetadata | Thread): Thread {
  const items: Page<ThreadItem> = 'items' in thread && thread.items ? (thread as Thread).items : { data: [], has_more: false };
  const response: Record<string, unknown> = {};
  if (thread.title != null) response.title = thread.title;
  response.id = thread.id;
  response.created_at = thread.created_at;
  response.status = thread.status ?? { type: 'active' };
  if (thread.allowed_image_domains != null) response.allowed_image_domains = thread.allowed_image_domains;
  response.metadata = {};
  response.items = pageOf(items.data.filter((item) => !isHiddenItem(item)), items);
  return response as unknown as Thread;
}

export function pageOf<T>(data: T[], page: Page<unknown>): Page<T> {
  const result: Page<T> = { data, has_more: page.has_more };
  if (page.after != null) result.after = page.after;
  return result;
}

const ATTACHMENT_KEY_ORDER = ['id', 'name', 'mime_type', 'upload_descriptor', 'thread_id', 'metadata', 'type', 'preview_url'];

/** An attachment with its keys in the reference's order (serialization drops `metadata`). */
export function orderAttachment<T extends Attachment>(attachment: T): T {
  const ordered: Record<string, unknown> = {};
  const source = attachment as unknown as Record<string, unknown>;
  for (const key of ATTACHMENT_KEY_ORDER) if (key in source) ordered[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered as T;
}
