/**
 * Delay before retry number `attempt` (0-based): doubling from `baseMs` up to `maxMs`,
 * with jitter so that many pages dropped by one server restart do not reconnect in step.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
