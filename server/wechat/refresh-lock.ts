/**
 * A lock held by one instance at a time, for work that must happen once across all of
 * them (fetching the WeChat access token). It lapses by itself after `ttlMs`, so an
 * instance that died holding it blocks the others for at most that long.
 */
export interface RefreshLock {
  /** An owner token when this caller got the lock, undefined when another holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Lets go, if `owner` still holds it (a lapsed lock may belong to someone else by now). */
  release(key: string, owner: string): Promise<void>;
}
