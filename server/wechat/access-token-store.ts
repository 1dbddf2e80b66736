export interface StoredAccessToken {
  token: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/**
 * Where the WeChat access token is kept between calls and restarts. WeChat caps token
 * fetches per day and, on the old endpoint, each fetch logs out the previous token, so
 * every instance must share one (SQLite here; Redis when scaled out).
 */
export interface AccessTokenStore {
  get(appid: string): Promise<StoredAccessToken | undefined>;
  set(appid: string, token: StoredAccessToken): Promise<void>;
}
