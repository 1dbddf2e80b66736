import type { AccessTokenStore, StoredAccessToken } from '../wechat/access-token-store';
import type { SqliteDatabase } from './sqlite-database';

interface TokenRow {
  access_token: string;
  expires_at: number;
}

/** The WeChat access token in the embedded SQLite file, so a restart does not fetch again. */
export class SqliteAccessTokenStore implements AccessTokenStore {
  private readonly select;
  private readonly upsert;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[string], TokenRow>(
      'SELECT access_token, expires_at FROM wechat_access_token WHERE appid = ?',
    );
    this.upsert = db.prepare(`
      INSERT INTO wechat_access_token (appid, access_token, expires_at) VALUES (?, ?, ?)
      ON CONFLICT(appid) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at`);
  }

  async get(appid: string): Promise<StoredAccessToken | undefined> {
    const row = this.select.get(appid);
    return row && { token: row.access_token, expiresAt: row.expires_at };
  }

  async set(appid: string, token: StoredAccessToken): Promise<void> {
    this.upsert.run(appid, token.token, token.expiresAt);
  }
}
