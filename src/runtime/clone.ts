/**
 * A deep copy for the JSON-like data the runtime handles (threads, items,
 * events). Several times faster than `structuredClone` on small objects,
 * which matters because stores and the event pipeline copy on every write.
 * Dates are kept as Dates; anything else that is not plain data (Maps,
 * typed arrays, class instances) falls back to `structuredClone`.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = cloneJson(value[i]);
    return copy as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return value instanceof Date ? (new Date(value.getTime()) as T) : structuredClone(value);
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  return copy as T;
}
