/**
 * Items that share a `created_at` millisecond must still list in the order
 * they were created, as they do in the reference, whose timestamps carry
 * microseconds. Our `created_at` stays the millisecond ISO string the
 * protocol sends; the server marks each item it persists with the
 * microsecond it was created (first streamed), under a symbol that JSON
 * never sees, and stores order equal `created_at` values by that mark
 * (`orderingKey`). Two cases need it: an item streamed as `added` and saved
 * only at cancellation, after items created later in the same millisecond,
 * and an item moved by `thread.item.replaced` to a new time that ties with
 * one created before the replacement.
 *
 * An item written without a mark (a store used directly) is marked with the
 * moment it is written, so it orders as if created then: ties keep
 * insertion order, as before. An upsert that keeps `created_at` keeps the
 * item's key, so replacing an item never moves it among its equal-time
 * siblings.
 */

/** Where the mark lives on an item object handed to a store. */
export const CREATED_AT_MICROS: unique symbol = Symbol('chatkit.createdAtMicros');

type Marked = { [CREATED_AT_MICROS]?: string };

let lastMicros = 0;

/** Microseconds since the epoch, strictly increasing within the process, 16 digits. */
export function creationMoment(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = micros > lastMicros ? micros : lastMicros + 1;
  return String(lastMicros).padStart(16, '0');
}

/** A shallow copy of `item` carrying the mark (the caller's object is left alone). */
export function markCreated<T extends object>(item: T, moment: string): T {
  return { ...item, [CREATED_AT_MICROS]: moment };
}

export function creationMark(item: object): string | undefined {
  return (item as Marked)[CREATED_AT_MICROS];
}

/** What stores order items by: `created_at`, then when the item was created (or, unmarked, written). */
export function orderingKey(createdAt: string, item: object): string {
  return `${createdAt}~${creationMark(item) ?? creationMoment()}`;
}
