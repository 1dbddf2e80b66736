import type { Context, Middleware, Next } from 'koa';
import { ipKey } from '../limits/ip-key';
import type { RateBudget } from '../limits/rate-budget';

/** Koa middleware that spends one of the client's `budget` before the route runs. */
export function spend(budget: RateBudget): Middleware {
  return async (ctx: Context, next: Next): Promise<void> => {
    await budget.take(ipKey(ctx.ip));
    await next();
  };
}
