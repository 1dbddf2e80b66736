import type { Pool } from 'pg';
import { query } from './postgres-query';
import type { LoginRecord, User, UserStore, UserUpsert } from './user-store';

// Aliased to the User fields, so a row is a User as it comes.
const USER_COLUMNS = `id, openid, unionid, nickname, avatar_url AS "avatarUrl",
  created_at AS "createdAt", last_login_at AS "lastLoginAt"`;

/** Users and the login audit in PostgreSQL, shared by every instance. */
export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: Pool) {}

  async upsert(input: UserUpsert): Promise<User> {
    // One statement: concurrent first logins of one openid on several instances make one
    // row (the unique index arbitrates) and all get it back. A profile given at confirm
    // overwrites the stored one, a missing one keeps it.
    const [user] = await query<User>(
      this.pool,
      `INSERT INTO users (id, openid, unionid, nickname, avatar_url, created_at, last_login_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (openid) DO UPDATE SET
         unionid       = COALESCE(excluded.unionid, users.unionid),
         nickname      = COALESCE(excluded.nickname, users.nickname),
         avatar_url    = COALESCE(excluded.avatar_url, users.avatar_url),
         last_login_at = excluded.last_login_at
       RETURNING ${USER_COLUMNS}`,
      [input.newId, input.openid, input.unionid ?? null, input.nickname ?? null, input.avatarUrl ?? null, input.now],
    );
    return user;
  }

  async findById(id: string): Promise<User | undefined> {
    const [user] = await query<User>(this.pool, `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return user;
  }

  async recordLogin(record: LoginRecord): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO login_audit (ticket_id, user_id, ip, user_agent, launch_scene, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [record.ticketId, record.userId, record.ip, record.userAgent, record.launchScene ?? null, record.at],
    );
  }
}
