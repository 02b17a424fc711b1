/**
 * Turning the rows of a `LIMIT limit + 1` query into a `Page`, with exactly
 * the semantics of `paginate()` (the in-process stores' pagination): the
 * extra row only tells whether there is more; `after` is the id of the last
 * returned row and is present only when `has_more`.
 */
import type { Page } from '../../protocol/items.js';

/** The number of rows to fetch for a page of `limit`: one more, to learn `has_more`. */
export function rowsToFetch(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TypeError(`limit must be a non-negative integer, got ${String(limit)}`);
  }
  return limit + 1;
}

export function pageFromRows<R, T>(
  rows: readonly R[],
  limit: number,
  idOf: (row: R) => string,
  valueOf: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const page: Page<T> = { data: kept.map(valueOf), has_more: hasMore };
  if (hasMore && kept.length > 0) page.after = idOf(kept[kept.length - 1]!);
  return page;
}
