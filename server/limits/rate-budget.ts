import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, RateLimited, StoreUnavailable } from '../errors';
import { noMetrics, type Metrics } from '../metrics/metrics';

/** Builds the counter behind a budget: in this process now, shared (Redis) with scale-out. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/** What a refused request is answered with; `Retry-After` is added to it. */
export type Refusal = () => AppError;

/**
 * A number of actions per minute per key (a client's address, or one key for the whole
 * app). `take` spends one or throws the refusal with `retryAfterSeconds` set, which the
 * error handler turns into `Retry-After`. A budget of 0 is no limit.
 */
export class RateBudget {
  private readonly limiter?: RateLimiterAbstract;

  constructor(
    readonly name: string,
    perMinute: number,
    private readonly refuse: Refusal = () => new RateLimited(undefined, { limit: name }),
    limiters: LimiterFactory = memoryLimiters,
    private readonly metrics: Metrics = noMetrics,
  ) {
    if (perMinute > 0) this.limiter = limiters({ keyPrefix: name, points: perMinute, duration: 60 });
  }

  async take(key: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(key);
    } catch (caught) {
      // The library rejects with its result when over budget, and with an Error when its
      // store (Redis) fails: a refusal, or a 503 that says the store is away.
      if (!(caught instanceof RateLimiterRes)) throw Object.assign(new StoreUnavailable(), { cause: caught });
      this.metrics.limitHit(this.name);
      const error = this.refuse();
      error.retryAfterSeconds = Math.max(1, Math.ceil(caught.msBeforeNext / 1000));
      throw error;
    }
  }
}
