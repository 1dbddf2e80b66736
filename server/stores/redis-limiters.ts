import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../limits/rate-budget';
import type { RedisConnection } from './redis-connection';

/**
 * Budgets counted in the shared Redis (rate-limiter-flexible's atomic Lua counter), so N
 * instances allow one budget, not N: above all the app-wide one that keeps WeChat's quota.
 * No in-memory insurance: with Redis away the tickets are too, and the request is a 503.
 */
export function redisLimiters(redis: RedisConnection): LimiterFactory {
  return ({ keyPrefix, points, duration }) =>
    new RateLimiterRedis({
      storeClient: redis.client,
      useRedisPackage: true,
      keyPrefix: `${redis.prefix}limit:${keyPrefix}`,
      points,
      duration,
    });
}
