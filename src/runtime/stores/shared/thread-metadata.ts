/**
 * Stores persist thread metadata only: a `Thread` handed to `saveThread`
 * carries a page of items that must not end up in the thread row.
 */
import type { ThreadMetadata } from '../../protocol/items.js';

export function withoutItems(thread: ThreadMetadata): ThreadMetadata {
  if (!('items' in thread)) return thread;
  const { items: _items, ...metadata } = thread as ThreadMetadata & { items: unknown };
  return metadata;
}
