import { AppError } from '../../../server/errors';
import { RateBudget } from '../../../server/limits/rate-budget';
import { RedisConnection } from '../../../server/stores/redis-connection';
import { redisLimiters } from '../../../server/stores/redis-limiters';
import { deleteKeys, describeWithRedis, openTestRedis, PrivateRedis, silentLog, uniquePrefix } from '../../support/redis';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'allowed';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describeWithRedis('redisLimiters', () => {
  const prefix = uniquePrefix();
  let a: RedisConnection;
  let b: RedisConnection;

  beforeAll(async () => {
    [a, b] = await Promise.all([openTestRedis(prefix), openTestRedis(prefix)]);
  });

  afterAll(async () => {
    await deleteKeys(a, prefix);
    await Promise.all([a.close(), b.close()]);
  });

  it('counts one budget across instances: 3 a minute allow 3 in all, not 3 each', async () => {
    const onA = new RateBudget('wechat-code-fetches', 3, undefined, redisLimiters(a));
    const onB = new RateBudget('wechat-code-fetches', 3, undefined, redisLimiters(b));
    const outcomes = [await codeOf(onA.take('app')), await codeOf(onB.take('app')), await codeOf(onA.take('app'))];
    expect(outcomes).toEqual(['allowed', 'allowed', 'allowed']);
    expect(await codeOf(onB.take('app'))).toBe('RATE_LIMITED');
    expect(await codeOf(onB.take('another-client'))).toBe('allowed');
  });

  it('answers STORE_UNAVAILABLE, not a 500 or a pass, while its Redis is away', async () => {
    const redis = await PrivateRedis.start();
    const connection = await RedisConnection.open({ url: redis.url, prefix, log: silentLog, commandTimeoutMs: 500 });
    try {
      const budget = new RateBudget('tickets-per-ip', 10, undefined, redisLimiters(connection));
      expect(await codeOf(budget.take('203.0.113.1'))).toBe('allowed');
      await redis.stop();
      expect(await codeOf(budget.take('203.0.113.1'))).toBe('STORE_UNAVAILABLE');
    } finally {
      await connection.close();
      await redis.stop();
    }
  });
});
