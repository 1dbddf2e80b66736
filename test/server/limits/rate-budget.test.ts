import { AppError, RateLimited, WeChatQuotaProtected } from '../../../server/errors';
import { RateBudget } from '../../../server/limits/rate-budget';
import { noMetrics } from '../../../server/metrics/metrics';

async function refusal(take: Promise<void>): Promise<AppError> {
  try {
    await take;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('RateBudget', () => {
  it('lets perMinute actions through per key, then refuses with Retry-After within the minute', async () => {
    const budget = new RateBudget('test', 2);
    await budget.take('a');
    await budget.take('a');
    const refused = await refusal(budget.take('a'));
    expect(refused).toBeInstanceOf(RateLimited);
    expect(refused.details).toEqual({ limit: 'test' });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(budget.take('b')).resolves.toBeUndefined();
  });

  it('answers with the refusal it was given', async () => {
    const budget = new RateBudget('wechat', 1, () => new WeChatQuotaProtected());
    await budget.take('app');
    expect((await refusal(budget.take('app'))).code).toBe('WECHAT_QUOTA_PROTECTED');
  });

  it('reports each refusal under its name, and neither a pass nor a failing store', async () => {
    const hits: string[] = [];
    const metrics = { ...noMetrics, limitHit: (limit: string) => void hits.push(limit) };
    const budget = new RateBudget('wechat-code-fetches', 1, () => new WeChatQuotaProtected(), undefined, metrics);
    await budget.take('app');
    await refusal(budget.take('app'));
    const failing = () => ({ consume: () => Promise.reject(new Error('store down')) }) as never;
    await refusal(new RateBudget('broken', 1, undefined, failing, metrics).take('a'));
    expect(hits).toEqual(['wechat-code-fetches']);
  });

  it('is no limit at 0', async () => {
    const budget = new RateBudget('off', 0);
    for (let i = 0; i < 100; i++) await budget.take('a');
  });

  it('answers a failing store with STORE_UNAVAILABLE, not a refusal, keeping the cause', async () => {
    const down = new Error('store down');
    const failing = () => ({ consume: () => Promise.reject(down) }) as never;
    const budget = new RateBudget('broken', 1, undefined, failing);
    await expect(budget.take('a')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, cause: down });
  });
});
