import type { SortOrder } from '../../store.js';

/**
 * The ORDER BY both SQL stores page with: `created_at`, ties broken by the
 * insertion sequence `seq`. Descending is the exact reverse of ascending, so
 * paging backwards visits the same rows as paging forwards.
 */
export function orderBy(order: SortOrder): string {
  return order === 'asc' ? 'ORDER BY created_at ASC, seq ASC' : 'ORDER BY created_at DESC, seq DESC';
}
