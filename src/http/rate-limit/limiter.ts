/**
 * The limit on streaming requests (the ones that run the model): per user
 * when the endpoint authenticates, per client IP otherwise. Checked by the
 * shared HTTP core, so the Fastify plugin and the fetch handler limit alike.
 */
import { HttpError } from '../errors.js';
import { MemoryRateLimitStore, type RateLimitStore } from './store.js';

export interface RateLimitOptions {
  /** Streaming requests allowed per user (or IP) in each window. */
  max: number;
  /** The window, in milliseconds. Default one minute. */
  windowMs?: number;
  /** Where the counters live. Default: this process's memory (use `RedisRateLimitStore` with several instances). */
  store?: RateLimitStore;
}

export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;

/** 429, answered in the usual JSON error shape with `retry-after`. */
export class RateLimitedError extends HttpError {
  override name = 'RateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    max: number,
    windowMs: number,
  ) {
    super(
      429,
      'rate_limited',
      `Too many messages: at most ${max} per ${describeWindow(windowMs)}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
    );
  }
}

export interface RateLimiter {
  /** Counts the request; throws `RateLimitedError` past the limit. */
  check(caller: { userId: string | undefined; clientIp: string | undefined }): Promise<void>;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
  const store = options.store ?? new MemoryRateLimitStore();
  return {
    async check({ userId, clientIp }) {
      // Users and addresses in separate key spaces, so a user id cannot collide with an IP.
      const key = userId !== undefined ? `user:${userId}` : `ip:${clientIp ?? 'unknown'}`;
      const { count, resetMs } = await store.hit(key, windowMs);
      if (count > options.max) throw new RateLimitedError(Math.max(1, Math.ceil(resetMs / 1000)), options.max, windowMs);
    },
  };
}

function describeWindow(windowMs: number): string {
  if (windowMs % 3_600_000 === 0) return windowMs === 3_600_000 ? 'hour' : `${windowMs / 3_600_000} hours`;
  if (windowMs % 60_000 === 0) return windowMs === 60_000 ? 'minute' : `${windowMs / 60_000} minutes`;
  if (windowMs % 1000 === 0) return windowMs === 1000 ? 'second' : `${windowMs / 1000} seconds`;
  return `${windowMs} ms`;
}
