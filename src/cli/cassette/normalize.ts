/**
 * Normalization before comparing: generated ids become stable placeholders
 * (`<thr_1>`, `<msg_2>`, numbered in order of first appearance, so the *shape*
 * of id references is still compared) and timestamps become `<timestamp>`.
 * One normalizer per session keeps numbering consistent across its requests.
 */

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isIdKey(key: string): boolean {
  return key === 'id' || key.endsWith('_id');
}

function isIdListKey(key: string): boolean {
  return key.endsWith('_ids');
}

function isTimestampKey(key: string): boolean {
  return key.endsWith('_at') || key === 'timestamp';
}

export class Normalizer {
  private readonly ids = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  normalize<T>(value: T): T {
    this.collect(value, undefined);
    return this.replace(value, undefined) as T;
  }

  private placeholder(id: string): string {
    const existing = this.ids.get(id);
    if (existing) return existing;
    const prefix = /^([a-z]+)_/i.exec(id)?.[1] ?? 'id';
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    const placeholder = `<${prefix}_${n}>`;
    this.ids.set(id, placeholder);
    return placeholder;
  }

  // First pass: learn ids from id-named fields, in document order.
  private collect(value: unknown, key: string | undefined): void {
    if (typeof value === 'string') {
      if (key !== undefined && (isIdKey(key) || isIdListKey(key)) && value !== '') this.placeholder(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const entry of value) this.collect(entry, key !== undefined && isIdListKey(key) ? key : undefined);
      return;
    }
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) this.collect(v, k);
  }

  // Second pass: replace known ids anywhere (e.g. inside widget action payloads) and timestamps.
  private replace(value: unknown, key: string | undefined): unknown {
    if (typeof value === 'string') {
      const id = this.ids.get(value);
      if (id) return id;
      if ((key !== undefined && isTimestampKey(key)) || ISO_DATE_TIME.test(value)) return '<timestamp>';
      return value;
    }
    if (typeof value === 'number' && key !== undefined && isTimestampKey(key)) return '<timestamp>';
    if (Array.isArray(value)) return value.map((entry) => this.replace(entry, undefined));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.replace(v, k);
      return out;
    }
    return value;
  }
}

/**
 * Walk a recorded and a replayed value side by side and pair up the ids found
 * at the same place, so later recorded requests (which name recorded thread and
 * item ids) can be rewritten to target what the replay created.
 */
export function pairIds(recorded: unknown, actual: unknown, into: Map<string, string>, key?: string): void {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    if (key !== undefined && (isIdKey(key) || isIdListKey(key)) && recorded !== actual && !into.has(recorded)) into.set(recorded, actual);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    const listKey = key !== undefined && isIdListKey(key) ? key : undefined;
    for (let i = 0; i < Math.min(recorded.length, actual.length); i++) pairIds(recorded[i], actual[i], into, listKey);
    return;
  }
  if (recorded && actual && typeof recorded === 'object' && typeof actual === 'object') {
    const a = actual as Record<string, unknown>;
    for (const [k, v] of Object.entries(recorded as Record<string, unknown>)) if (k in a) pairIds(v, a[k], into, k);
  }
}

/** Replace every string equal to a recorded id with its replayed counterpart. */
export function remapIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return ids.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, walk(e)]));
    return v;
  };
  return walk(value) as T;
}
