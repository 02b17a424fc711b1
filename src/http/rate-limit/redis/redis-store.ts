/**
 * Rate-limit counters in Redis, shared by every instance: the count and the
 * window's expiry change in one Lua script, so concurrent requests on
 * different instances cannot both take the last slot.
 */
import { Redis } from 'ioredis';
import type { RateLimitHit, RateLimitStore } from '../store.js';

/** INCR the key; start its window on the first hit; answer the count and the time left. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export interface RedisRateLimitStoreOptions {
  /** `redis://[:password@]host:port[/db]`, e.g. from `REDIS_URL`. */
  url?: string;
  /** A connected ioredis client to use instead (not closed by `close()`). */
  client?: Redis;
  /** Prefix of every key. Default `chatkit:ratelimit:`. */
  prefix?: string;
}

export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly prefix: string;

  constructor(options: RedisRateLimitStoreOptions) {
    if (!options.client && !options.url) throw new TypeError('RedisRateLimitStore: pass { url } (e.g. REDIS_URL) or { client }');
    if (options.url && !/^rediss?:\/\//.test(options.url)) {
      throw new TypeError('RedisRateLimitStore: the URL must start with redis:// or rediss:// (check REDIS_URL)');
    }
    // Commands fail fast while Redis is unreachable instead of queueing behind every streaming request.
    this.client = options.client ?? new Redis(options.url!, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.ownsClient = !options.client;
    // Connection errors reach the caller through the failing command (and the limiter logs them); without a listener ioredis prints each retry.
    if (this.ownsClient) this.client.on('error', () => {});
    this.prefix = options.prefix ?? 'chatkit:ratelimit:';
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.client.eval(HIT_SCRIPT, 1, `${this.prefix}${key}`, String(windowMs))) as [number, number];
    return { count, resetMs: ttl };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}
