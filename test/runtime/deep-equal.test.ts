import { expect, test } from 'vitest';
import { deepEqual } from '../../src/runtime/deep-equal.js';

test('key order does not matter; null, undefined and missing are the same field', () => {
  expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
  expect(deepEqual({ a: null }, {})).toBe(true);
  expect(deepEqual({}, { a: undefined })).toBe(true);
  expect(deepEqual([null], [undefined])).toBe(true);
});

test('any real difference is seen', () => {
  expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
  expect(deepEqual({ a: 1 }, { a: 1, b: 0 })).toBe(false);
  expect(deepEqual({ a: 1, b: 0 }, { a: 1 })).toBe(false);
  expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
  expect(deepEqual([1], { 0: 1 })).toBe(false);
  expect(deepEqual({ s: { type: 'locked', reason: 'x' } }, { s: { type: 'locked', reason: 'y' } })).toBe(false);
  expect(deepEqual('1', 1)).toBe(false);
  expect(deepEqual({ a: false }, {})).toBe(false);
});
