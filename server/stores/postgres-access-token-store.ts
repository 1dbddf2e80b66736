import type { Pool } from 'pg';
import type { AccessTokenStore, StoredAccessToken } from '../wechat/access-token-store';
import { query } from './postgres-query';

/** The WeChat access token in PostgreSQL, one per appid for every instance. */
export class PostgresAccessTokenStore implements AccessTokenStore {
  constructor(private readonly pool: Pool) {}

  async get(appid: string): Promise<StoredAccessToken | undefined> {
    const [token] = await query<StoredAccessToken>(
      this.pool,
      'SELECT access_token AS token, expires_at AS "expiresAt" FROM wechat_access_token WHERE appid = $1',
      [appid],
    );
    return token;
  }

  async set(appid: string, token: StoredAccessToken): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO wechat_access_token (appid, access_token, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (appid) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at`,
      [appid, token.token, token.expiresAt],
    );
  }
}
