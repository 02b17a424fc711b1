/**
 * Structural equality for JSON-like data: key order does not matter, and a
 * null or undefined field equals a missing one (all three are omitted on the
 * wire). Used after every streamed event to tell whether the handler changed
 * the thread, so it allocates nothing.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key in left) if (!deepEqual(left[key], right[key])) return false;
  for (const key in right) if (!(key in left) && right[key] != null) return false;
  return true;
}
