/** A person who logged in, identified to us by their WeChat openid (never shown to clients). */
export interface User {
  id: string;
  openid: string;
  unionid: string | null;
  nickname: string | null;
  avatarUrl: string | null;
  createdAt: number;
  lastLoginAt: number;
}

/** What the contract shows of a user: no openid, no unionid. */
export interface PublicUser {
  id: string;
  nickname: string | null;
  avatarUrl: string | null;
  createdAt: string;
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    nickname: user.nickname,
    avatarUrl: user.avatarUrl,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export interface UserUpsert {
  /** Used only when the openid is new. */
  newId: string;
  openid: string;
  unionid?: string;
  nickname?: string;
  avatarUrl?: string;
  now: number;
}

export interface LoginRecord {
  ticketId: string;
  userId: string;
  ip: string;
  userAgent: string;
  launchScene?: number;
  at: number;
}

/**
 * Users and the login audit. The embedded implementation is SQLite (sqlite-user-store.ts);
 * PostgreSQL shares the table between instances.
 */
export interface UserStore {
  /** Creates the user for this openid or refreshes it, in one statement. */
  upsert(input: UserUpsert): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  recordLogin(record: LoginRecord): Promise<void>;
}
