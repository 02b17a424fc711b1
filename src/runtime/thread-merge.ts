/**
 * A three-way merge of thread metadata, so that a stream saving the thread
 * its handler changed never overwrites what someone else changed meanwhile
 * (a `threads.update` rename answered while the first reply streams, another
 * stream's metadata).
 *
 * `base` is what the stream last read or saved, `mine` is the handler's copy
 * now, `stored` is what the store holds now. A field the handler did not
 * change keeps the stored value; a field only the handler changed takes the
 * handler's value; a field both changed keeps the stored value, because that
 * write was already acknowledged to its client. Server-side `metadata` is
 * merged key by key, so two writers adding different keys both win.
 */
import { deepEqual } from './deep-equal.js';
import type { ThreadMetadata } from './protocol/items.js';
import { cloneJson } from './clone.js';

const MERGED_FIELDS = ['title', 'status', 'allowed_image_domains', 'created_at'] as const;

export function mergeThread(base: ThreadMetadata, mine: ThreadMetadata, stored: ThreadMetadata): ThreadMetadata {
  const merged: ThreadMetadata = { ...stored };
  for (const field of MERGED_FIELDS) {
    const value = pick(base[field], mine[field], stored[field]);
    if (value === undefined) delete merged[field];
    else (merged as unknown as Record<string, unknown>)[field] = value;
  }
  merged.metadata = mergeRecords(base.metadata ?? {}, mine.metadata ?? {}, stored.metadata ?? {});
  return cloneJson(merged);
}

function pick<T>(base: T, mine: T, stored: T): T {
  if (deepEqual(mine, base)) return stored;
  if (deepEqual(stored, base)) return mine;
  return stored;
}

function mergeRecords(
  base: Record<string, unknown>,
  mine: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const key of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    const value = pick(base[key], mine[key], stored[key]);
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Makes `target` hold exactly the fields of `source` (the handler keeps its object, now up to date). */
export function assignThread(target: ThreadMetadata, source: ThreadMetadata): void {
  const record = target as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== 'items' && !(key in source)) delete record[key];
  Object.assign(target, cloneJson(source));
}
