/**
 * Cursor pagination over an already ordered (ascending) list, the way every
 * in-process store pages: `after` is an exclusive id cursor; an unknown
 * cursor starts from the beginning, as the reference's stores do.
 */
import type { Page } from './protocol/items.js';
import type { SortOrder } from './store.js';

export function paginate<T>(
  ascending: readonly T[],
  idOf: (row: T) => string,
  after: string | null | undefined,
  limit: number,
  order: SortOrder,
): Page<T> {
  const rows = order === 'asc' ? ascending : ascending.toReversed();
  let start = 0;
  if (after) {
    const index = rows.findIndex((row) => idOf(row) === after);
    if (index >= 0) start = index + 1;
  }
  const data = rows.slice(start, start + limit);
  const hasMore = start + limit < rows.length;
  const page: Page<T> = { data, has_more: hasMore };
  if (hasMore && data.length > 0) page.after = idOf(data[data.length - 1]!);
  return page;
}
