import type { SqliteDatabase } from './sqlite-database';
import type { LoginRecord, User, UserStore, UserUpsert } from './user-store';

interface UserRow {
  id: string;
  openid: string;
  unionid: string | null;
  nickname: string | null;
  avatar_url: string | null;
  created_at: number;
  last_login_at: number;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    openid: row.openid,
    unionid: row.unionid,
    nickname: row.nickname,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

/** Users and the login audit in the embedded SQLite file. */
export class SqliteUserStore implements UserStore {
  private readonly upsertStatement;
  private readonly byIdStatement;
  private readonly auditStatement;

  constructor(db: SqliteDatabase) {
    // One statement, so a user row is never half-written: a profile given at confirm
    // overwrites the stored one, a missing one keeps it.
    this.upsertStatement = db.prepare<[Record<string, unknown>], UserRow>(`
    INSERT INTO users (id, openid, unionid, nickname, avatar_url, created_at, last_login_at)
    VALUES (@id, @openid, @unionid, @nickname, @avatarUrl, @now, @now)
    ON CONFLICT(openid) DO UPDATE SET
      unionid       = COALESCE(excluded.unionid, users.unionid),
      nickname      = COALESCE(excluded.nickname, users.nickname),
      avatar_url    = COALESCE(excluded.avatar_url, users.avatar_url),
      last_login_at = excluded.last_login_at
    RETURNING *`);
    this.byIdStatement = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
    this.auditStatement = db.prepare(`
      INSERT INTO login_audit (ticket_id, user_id, ip, user_agent, launch_scene, created_at)
      VALUES (@ticketId, @userId, @ip, @userAgent, @launchScene, @at)`);
  }

  async upsert(input: UserUpsert): Promise<User> {
    const row = this.upsertStatement.get({
      id: input.newId,
      openid: input.openid,
      unionid: input.unionid ?? null,
      nickname: input.nickname ?? null,
      avatarUrl: input.avatarUrl ?? null,
      now: input.now,
    });
    if (!row) throw new Error('user upsert returned no row');
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = this.byIdStatement.get(id);
    return row && toUser(row);
  }

  async recordLogin(record: LoginRecord): Promise<void> {
    const { ticketId, userId, ip, userAgent, launchScene, at } = record;
    this.auditStatement.run({ ticketId, userId, ip, userAgent, launchScene: launchScene ?? null, at });
  }
}
