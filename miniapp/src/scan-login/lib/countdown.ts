/**
 * The confirm page's countdown to the ticket's expiry. `deadline` is on the phone's clock
 * (ms since the epoch): the server's `expiresAt` moved by the clocks' offset (server-clock.ts).
 */

/** Whole seconds left, rounded up: 0 exactly when the time is up, never before. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * How long until `secondsLeft` changes, to redraw then and not on a free-running 1 s timer
 * that would show 0 up to a second late; 0 once the time is up (nothing left to redraw).
 */
export function msUntilNextSecond(deadline: number, now: number): number {
  const left = deadline - now;
  if (left <= 0) return 0;
  return left % 1000 || 1000;
}

/** `m:ss`, e.g. 1:05 */
export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}
