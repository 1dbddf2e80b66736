import { performance } from 'node:perf_hooks';

/** How a login attempt ended, as this instance saw it happen. */
export type LoginOutcome = 'confirmed' | 'cancelled' | 'expired' | 'failed';

/** The shared stores whose calls are timed; SQLite is in-process and synchronous, so it is not. */
export type TimedStore = 'redis' | 'postgres';

/**
 * What the parts report, whatever collects it: prometheus-metrics.ts in the library, the
 * no-op below by default, so the core and the unit tests need no metrics library at all.
 * Each method is one fact; none may throw or wait.
 */
export interface Metrics {
  login(outcome: LoginOutcome): void;
  /** One HTTP call to WeChat (retries each count); `result` is '0', WeChat's errcode, or how it failed. */
  wechatCall(api: string, result: string, seconds: number): void;
  /** A request refused by the limit of that name (`tickets-per-ip`, `wechat-code-fetches`, …). */
  limitHit(limit: string): void;
  storeCall(store: TimedStore, operation: string, seconds: number): void;
}

export const noMetrics: Metrics = {
  login() {},
  wechatCall() {},
  limitHit() {},
  storeCall() {},
};

/** Starts timing; the function returns the seconds since. */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => (performance.now() - start) / 1000;
}
