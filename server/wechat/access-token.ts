import type { Clock } from '../core/clock';
import type { AccessTokenStore, StoredAccessToken } from './access-token-store';
import type { RefreshLock } from './refresh-lock';

/** Longer than one stable_token call with its timeout and retries: the lock of a dead holder lapses after it. */
const LOCK_TTL_MS = 15_000;
/** How often an instance that did not get the lock looks for the token the holder stores. */
const LOCK_POLL_MS = 100;

/** Fetches a token from WeChat; `force` asks stable_token to replace the current one. */
export type FetchAccessToken = (force: boolean) => Promise<StoredAccessToken>;

/**
 * The access token, shared and refreshed by a single caller.
 *
 * Why so careful: WeChat limits token fetches (and forced refreshes to 20 a day), and
 * SDKs that let every caller fetch its own token burned their quota or logged each other
 * out (WxJava #313, #324). So: one in-flight fetch at a time that every concurrent caller
 * awaits; the token kept in the shared store so restarts and other instances reuse it;
 * refreshed `refreshAheadMs` before it expires so callers never present an expired one.
 * With several instances a `RefreshLock` (Redis) makes the fetch one across all of them:
 * the others wait for the token the holder stores.
 */
export class AccessToken {
  private current?: StoredAccessToken;
  private inflight?: Promise<StoredAccessToken>;

  constructor(
    private readonly appid: string,
    private readonly fetch: FetchAccessToken,
    private readonly store: AccessTokenStore,
    private readonly clock: Clock,
    private readonly lock?: RefreshLock,
    private readonly refreshAheadMs = 5 * 60_000,
  ) {}

  /** A token that is good for at least `refreshAheadMs`. */
  async get(): Promise<string> {
    if (this.isFresh(this.current)) return this.current!.token;
    return (await this.singleFlight(() => this.loadOrFetch())).token;
  }

  /**
   * WeChat rejected `rejected` (40001/42001). Returns a different token: one another
   * caller already got, else a fresh fetch, else (WeChat handed the same one back) a
   * forced refresh.
   */
  async replace(rejected: string): Promise<string> {
    const token = await this.singleFlight(async () => {
      if (this.current && this.current.token !== rejected && this.isFresh(this.current)) return this.current;
      const stored = await this.store.get(this.appid);
      if (stored && stored.token !== rejected && this.isFresh(stored)) return stored;
      const fetched = await this.fetchAndStore(false);
      return fetched.token === rejected ? this.fetchAndStore(true) : fetched;
    });
    return token.token;
  }

  private isFresh(token: StoredAccessToken | undefined): boolean {
    return token !== undefined && token.expiresAt - this.refreshAheadMs > this.clock.now();
  }

  private async loadOrFetch(): Promise<StoredAccessToken> {
    const stored = await this.store.get(this.appid);
    if (this.isFresh(stored)) return stored!;
    if (!this.lock) return this.fetchAndStore(false);
    const key = `access-token:${this.appid}`;
    for (;;) {
      const owner = await this.lock.tryAcquire(key, LOCK_TTL_MS);
      if (owner) {
        try {
          // The previous holder may have stored one between our read and our lock.
          const again = await this.store.get(this.appid);
          return this.isFresh(again) ? again! : await this.fetchAndStore(false);
        } finally {
          await this.lock.release(key, owner);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const fetched = await this.store.get(this.appid);
      if (this.isFresh(fetched)) return fetched!;
    }
  }

  private async fetchAndStore(force: boolean): Promise<StoredAccessToken> {
    const token = await this.fetch(force);
    await this.store.set(this.appid, token);
    return token;
  }

  private singleFlight(work: () => Promise<StoredAccessToken>): Promise<StoredAccessToken> {
    this.inflight ??= (async () => {
      try {
        this.current = await work();
        return this.current;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
