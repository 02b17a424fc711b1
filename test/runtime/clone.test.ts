import { expect, test } from 'vitest';
import { cloneJson } from '../../src/runtime/clone.js';

test('copies JSON-like data deeply, keeping Dates, and falls back for other objects', () => {
  const when = new Date('2026-01-02T03:04:05.000Z');
  const source = { a: [1, { b: 'x' }], when, nested: { n: null, u: undefined }, map: new Map([['k', 1]]) };
  const copy = cloneJson(source);
  expect(copy).toEqual(source);
  expect(copy.a).not.toBe(source.a);
  expect(copy.a[1]).not.toBe(source.a[1]);
  expect(copy.when).toBeInstanceOf(Date);
  expect(copy.when).not.toBe(when);
  expect(copy.map).toBeInstanceOf(Map);
  expect(copy.map).not.toBe(source.map);
  (copy.a[1] as { b: string }).b = 'changed';
  expect((source.a[1] as { b: string }).b).toBe('x');
  expect(cloneJson('text')).toBe('text');
  expect(cloneJson(null)).toBeNull();
});
