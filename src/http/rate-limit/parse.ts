/**
 * `CHATKIT_RATE_LIMIT` as generated projects write it: `20/min` (20
 * streaming requests per user per minute), `100/hour`, `5/10s`, or `off`.
 */
import type { RateLimitOptions } from './limiter.js';

const UNITS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };
const FORMAT = /^(\d+)\s*\/\s*(\d*)\s*([a-z]+)$/;

/** `undefined` for `off` or an empty value; throws a message naming the variable for anything else it cannot read. */
export function parseRateLimit(value: string | undefined, variable = 'CHATKIT_RATE_LIMIT'): Pick<RateLimitOptions, 'max' | 'windowMs'> | undefined {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'off') return undefined;
  const match = FORMAT.exec(text);
  const unit = match ? UNITS[match[3]!] : undefined;
  const max = match ? Number(match[1]) : NaN;
  const count = match && match[2] !== '' ? Number(match[2]) : 1;
  if (!match || unit === undefined || !(max > 0) || !(count > 0)) {
    throw new TypeError(`${variable}: cannot read ${JSON.stringify(value)}; write requests per window, e.g. "20/min", "100/hour", "5/10s", or "off"`);
  }
  return { max, windowMs: count * unit };
}
