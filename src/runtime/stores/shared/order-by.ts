import type { SortOrder } from '../../store.js';

/**
 * The ORDER BY both SQL stores page with: `created_at`, ties broken by the
 * insertion sequence `seq`. Descending is the exact reverse of ascending, so
 * paging backwards visits the same rows as paging forwards.
 */
export function orderBy(order: SortOrder): string {
  return order === 'asc' ? 'ORDER BY created_at ASC, seq ASC' : 'ORDER BY created_at DESC, seq DESC';
}

/**
 * The `created_at` column an item upsert writes: the existing key while the
 * item's `created_at` is unchanged (it keeps its place, creation mark
 * included), the new key otherwise. The column holds `created_at`,
 * optionally followed by `~` and the creation mark (`creation-order.ts`).
 */
export function keepPlaceWhenTimeUnchanged(table: string, excluded: string, dialect: 'postgres' | 'sqlite'): string {
  const find = (column: string) => (dialect === 'postgres' ? `strpos(${column} || '~', '~')` : `instr(${column} || '~', '~')`);
  const time = (column: string) => `substr(${column}, 1, ${find(column)} - 1)`;
  const old = `${table}.created_at`;
  const incoming = `${excluded}.created_at`;
  return `CASE WHEN ${time(old)} = ${time(incoming)} THEN ${old} ELSE ${incoming} END`;
}
