import { orderingKey } from '../../creation-order.js';

/**
 * `created_at` becomes an ordering column, so it must be the ISO-8601 string
 * the protocol uses; anything else would sort unpredictably or fail deep in
 * the driver with a message about a column. For items the column also
 * carries the server's creation mark, which orders items of the same
 * millisecond (see `creation-order.ts`).
 */
export function createdAtOf(record: { id: string; created_at: unknown }, kind: 'thread' | 'item'): string {
  const value = record.created_at;
  if (typeof value !== 'string' || value === '') {
    const got = value instanceof Date ? 'a Date (call .toISOString())' : JSON.stringify(value) ?? String(value);
    throw new TypeError(`${kind} ${record.id}: created_at must be an ISO-8601 string such as 2025-01-01T00:00:00.000Z, got ${got}`);
  }
  return kind === 'item' ? orderingKey(value, record) : value;
}
