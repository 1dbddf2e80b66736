import type { Clock } from '../../core/clock';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** WeChat's days start at midnight in Beijing (UTC+8). */
export const BEIJING_OFFSET_MS = 8 * 60 * MINUTE_MS;

/**
 * A fixed-window call counter, the way WeChat counts: "retry next minute", "daily quota".
 * Only the current window is kept, so memory is bounded by the callers of one window.
 */
export class Quota {
  private window = Number.NaN;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    private readonly windowMs: number,
    private readonly offsetMs = 0,
  ) {}

  /** Counts one call for `key`; false once `key` has used up this window. */
  take(key: string): boolean {
    const window = Math.floor((this.clock.now() + this.offsetMs) / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}
