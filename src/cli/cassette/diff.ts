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

export function formatValue(value: unknown, max = 120): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatDifference(d: Difference): string {
  switch (d.kind) {
    case 'changed':
      return `${d.path}: expected ${formatValue(d.expected)}, got ${formatValue(d.actual)}`;
    case 'missing':
      return `${d.path}: missing (expected ${formatValue(d.expected)})`;
    case 'unexpected':
      return `${d.path}: unexpected ${formatValue(d.actual)}`;
  }
}
