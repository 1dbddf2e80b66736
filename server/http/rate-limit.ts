import type { Context, Next } from 'koa';
import type { Clock } from '../core/clock';
import { RateLimited } from '../errors';

const WINDOW_MS = 60_000;

/**
 * A per-IP budget of requests a minute on the API that creates state or spends WeChat
 * quota. It keeps one bot from filling memory with tickets or using up the site's daily
 * getwxacodeunlimit quota. Fixed one-minute windows: crude, cheap, and enough for that.
 * `perMinute` 0 turns it off (tests, benchmarks).
 */
export function rateLimit(perMinute: number, clock: Clock) {
  const windows = new Map<string, { start: number; count: number }>();
  let swept = clock.now();

  return async (ctx: Context, next: Next): Promise<void> => {
    if (perMinute === 0) return next();
    const now = clock.now();
    if (now - swept >= WINDOW_MS) {
      for (const [ip, window] of windows) if (now - window.start >= WINDOW_MS) windows.delete(ip);
      swept = now;
    }
    let window = windows.get(ctx.ip);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      windows.set(ctx.ip, window);
    }
    window.count++;
    if (window.count > perMinute) {
      ctx.set('Retry-After', String(Math.ceil((window.start + WINDOW_MS - now) / 1000)));
      throw new RateLimited();
    }
    await next();
  };
}
