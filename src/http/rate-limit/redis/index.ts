/** `create-chatkit-backend/rate-limit/redis`: rate-limit counters shared through Redis. Loads ioredis, so it is its own entry point. */
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from './redis-store.js';
