import { join } from 'node:path';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { SqliteUserStore } from '../../../server/stores/sqlite-user-store';
import { tempDir } from '../../support/temp-dir';

describe('SqliteUserStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: SqliteDatabase;
  let users: SqliteUserStore;

  beforeEach(() => {
    dir = tempDir();
    db = openSqlite(join(dir.path, 'users.db'));
    users = new SqliteUserStore(db);
  });

  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('creates a user for a new openid and finds it by id', async () => {
    const user = await users.upsert({ newId: 'u1', openid: 'o1', nickname: 'Ann', now: 1000 });
    expect(user).toEqual({ id: 'u1', openid: 'o1', unionid: null, nickname: 'Ann', avatarUrl: null, createdAt: 1000, lastLoginAt: 1000 });
    expect(await users.findById('u1')).toEqual(user);
    expect(await users.findById('nobody')).toBeUndefined();
  });

  it('keeps the id and stored profile of a returning openid, updating only what is given', async () => {
    await users.upsert({ newId: 'u1', openid: 'o1', nickname: 'Ann', avatarUrl: 'https://a/1.png', now: 1000 });
    const again = await users.upsert({ newId: 'u2', openid: 'o1', avatarUrl: 'https://a/2.png', now: 2000 });
    expect(again).toMatchObject({ id: 'u1', nickname: 'Ann', avatarUrl: 'https://a/2.png', createdAt: 1000, lastLoginAt: 2000 });
  });

  it('records logins in the audit table', async () => {
    await users.upsert({ newId: 'u1', openid: 'o1', now: 1000 });
    await users.recordLogin({ ticketId: 't', userId: 'u1', ip: '::1', userAgent: 'ua', at: 1500 });
    expect(db.prepare('SELECT ticket_id, launch_scene, created_at FROM login_audit').all()).toEqual([
      { ticket_id: 't', launch_scene: null, created_at: 1500 },
    ]);
  });
});
