import { describeEvent, eventKind, isEventLike } from './event-summary.js';

/**
 * A structural diff of two JSON values: the paths where they differ, in
 * document order, stopping after `limit` differences (the first ones are the
 * ones that explain the rest).
 */

export interface Difference {
  path: string;
  kind: 'changed' | 'missing' | 'unexpected';
  expected?: unknown;
  actual?: unknown;
}

export function structuralDiff(expected: unknown, actual: unknown, limit = 10, path = ''): Difference[] {
  const out: Difference[] = [];
  walk(expected, actual, path, out, limit);
  return out;
}

function walk(expected: unknown, actual: unknown, path: string, out: Difference[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n && out.length < limit; i++) {
      const sub = `${path}[${i}]`;
      if (i >= actual.length) out.push({ path: sub, kind: 'missing', expected: expected[i] });
      else if (i >= expected.length) out.push({ path: sub, kind: 'unexpected', actual: actual[i] });
      else walk(expected[i], actual[i], sub, out, limit);
    }
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const key of keys) {
      if (out.length >= limit) return;
      const sub = path ? `${path}.${key}` : key;
      if (!(key in actual)) out.push({ path: sub, kind: 'missing', expected: expected[key] });
      else if (!(key in expected)) out.push({ path: sub, kind: 'unexpected', actual: actual[key] });
      else walk(expected[key], actual[key], sub, out, limit);
    }
    return;
  }
  if (!Object.is(expected, actual)) out.push({ path: path || '(root)', kind: 'changed', expected, actual });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatValue(value: unknown, max = 120): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A whole missing or unexpected value: events by their summary line, anything else as JSON. */
function formatWhole(value: unknown, max = 120): string {
  return isEventLike(value) ? describeEvent(value, max) : formatValue(value, max);
}

export function formatDifference(d: Difference): string {
  switch (d.kind) {
    case 'changed':
      return `${d.path}: expected ${formatValue(d.expected)}, got ${formatValue(d.actual)}`;
    case 'missing':
      return `${d.path}: missing (expected ${formatWhole(d.expected)})`;
    case 'unexpected':
      return `${d.path}: unexpected ${formatWhole(d.actual)}`;
  }
}

/**
 * Diff two sequences of events, aligned on their longest common subsequence, so
 * one inserted event shows up as one `unexpected` entry instead of shifting
 * every later index. Unmatched events in the same gap are compared pairwise.
 */
export function diffSequences(expected: readonly unknown[], actual: readonly unknown[], limit = 10, path = 'events'): Difference[] {
  const a = expected.map((e) => JSON.stringify(e));
  const b = actual.map((e) => JSON.stringify(e));
  const n = a.length;
  const m = b.length;
  // Beyond this the quadratic table costs more than index-wise comparison is worth.
  if (n * m > 4_000_000) return structuralDiff(expected, actual, limit, path);
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: Difference[] = [];
  let i = 0;
  let j = 0;
  let gapA: number[] = [];
  let gapB: number[] = [];
  // Unmatched events between two matches: events of the same kind (type, item type, update type)
  // are compared field by field; the rest were dropped or inserted. Comparing a text delta with a
  // widget update field by field would print noise that hides the one real change.
  // Paths are positions in the replayed stream; a missing event is reported where it would have been.
  const flush = (nextActual: number) => {
    const pairs = alignByKind(gapA.map((x) => eventKind(expected[x])), gapB.map((y) => eventKind(actual[y])));
    let pa = 0;
    let pb = 0;
    const missing = (x: number) => out.length < limit && out.push({ path: `${path}[${gapB[pb] ?? nextActual}]`, kind: 'missing', expected: expected[x] });
    const unexpected = (y: number) => out.length < limit && out.push({ path: `${path}[${y}]`, kind: 'unexpected', actual: actual[y] });
    for (const [ka, kb] of pairs) {
      while (pa < ka) missing(gapA[pa++]!);
      while (pb < kb) unexpected(gapB[pb++]!);
      if (out.length < limit) out.push(...structuralDiff(expected[gapA[pa]!], actual[gapB[pb]!], limit - out.length, `${path}[${gapB[pb]!}]`));
      pa++;
      pb++;
    }
    while (pa < gapA.length) missing(gapA[pa++]!);
    while (pb < gapB.length) unexpected(gapB[pb++]!);
    gapA = [];
    gapB = [];
  };
  while ((i < n || j < m) && out.length < limit) {
    if (i < n && j < m && a[i] === b[j]) {
      flush(j);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      gapB.push(j++);
    } else {
      gapA.push(i++);
    }
  }
  flush(j);
  return out.slice(0, limit);
}

/** Index pairs of a longest common subsequence of two short lists of kinds. */
function alignByKind(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  // Gaps are short in practice; a huge one falls back to pairing in order.
  if (n * m > 1_000_000) return Array.from({ length: Math.min(n, m) }, (_, k) => [k, k] as [number, number]);
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
