import type { Clock } from '../core/clock';
import type { AccessTokenStore, StoredAccessToken } from './access-token-store';

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
 */
export class AccessToken {
  private current?: StoredAccessToken;
  private inflight?: Promise<StoredAccessToken>;

  constructor(
    private readonly appid: string,
    private readonly fetch: FetchAccessToken,
    private readonly store: AccessTokenStore,
    private readonly clock: Clock,
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
    return this.isFresh(stored) ? stored! : this.fetchAndStore(false);
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
