/**
 * pydantic's lax mode for the reference's `int` and `bool` request fields,
 * as it validates JSON input: what it coerces we coerce to the same value;
 * anything else is left as it is for the schema to reject (a 400 naming the
 * field).
 *
 * - int: a number with no fractional part; `true`/`false` (1/0); a string
 *   holding an integer, after trimming whitespace, with an optional sign,
 *   leading zeros, `_` between digits and a `.000…` fraction.
 * - bool: `0`/`1`; the strings `0`, `1` and (any case) `f`, `n`, `no`,
 *   `off`, `false`, `t`, `y`, `on`, `yes`, `true`, untrimmed.
 */
import { z } from 'zod';

const INTEGER = /^-?\d+$/;

function laxInt(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return value;
  const parsed = integerFromString(value);
  return parsed === undefined ? value : parsed;
}

function integerFromString(raw: string): number | undefined {
  if (INTEGER.test(raw)) return Number(raw);
  let text = raw.trim();
  let negative = false;
  if (text.startsWith('+')) {
    if (text[1] === '-') return undefined;
    text = text.slice(1);
  }
  if (text.startsWith('-')) {
    if (text[1] === '-' || text[1] === '+') return undefined;
    negative = true;
    text = text.slice(1);
  }
  const point = text.indexOf('.');
  if (point >= 0) {
    const fraction = text.slice(point + 1);
    if (fraction === '' || !/^0+$/.test(fraction)) return undefined;
    text = text.slice(0, point);
  }
  // Underscores only between digits, never doubled, leading or trailing.
  if (!/^\d+(_\d+)*$/.test(text)) return undefined;
  return Number((negative ? '-' : '') + text.replaceAll('_', ''));
}

const TRUE_WORDS = new Set(['t', 'y', 'on', 'yes', 'true']);
const FALSE_WORDS = new Set(['f', 'n', 'no', 'off', 'false']);

function laxBool(value: unknown): unknown {
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return value;
  if (value === '1' || TRUE_WORDS.has(value.toLowerCase())) return true;
  if (value === '0' || FALSE_WORDS.has(value.toLowerCase())) return false;
  return value;
}

export const laxNonNegativeInt = z.preprocess(laxInt, z.number().int().nonnegative());
export const laxBoolean = z.preprocess(laxBool, z.boolean());
