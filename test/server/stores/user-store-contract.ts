import type { UserStore } from '../../../server/stores/user-store';

/** A login_audit row as the contract checks it. */
export interface AuditedLogin {
  ticketId: string;
  userId: string;
  launchScene: number | null;
  at: number;
}

export interface UserStoreFixture {
  store: UserStore;
  /** A second store on the same data through a connection of its own, as another instance has. */
  peer: UserStore;
  /** The audit rows, oldest first (the interface only writes them). */
  audit(): Promise<AuditedLogin[]>;
  /** Releases what the stores were built on; every test starts from empty tables. */
  cleanup(): void | Promise<void>;
}

/**
 * The behaviour every UserStore owes the login service and sessions, whatever holds the
 * users. Each store's test file runs this with a factory of fresh, empty stores.
 */
export function describeUserStoreContract(name: string, makeStores: () => Promise<UserStoreFixture>): void {
  describe(`${name} (UserStore contract)`, () => {
    let fixture: UserStoreFixture;
    let users: UserStore;

    beforeEach(async () => {
      fixture = await makeStores();
      users = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('creates a user for a new openid and finds it by id', async () => {
      const user = await users.upsert({ newId: 'u1', openid: 'o1', nickname: 'Ann', now: 1000 });
      expect(user).toStrictEqual({
        id: 'u1',
        openid: 'o1',
        unionid: null,
        nickname: 'Ann',
        avatarUrl: null,
        createdAt: 1000,
        lastLoginAt: 1000,
      });
      expect(await users.findById('u1')).toStrictEqual(user);
      expect(await users.findById('nobody')).toBeUndefined();
    });

    it('keeps the id and stored profile of a returning openid, updating only what is given', async () => {
      await users.upsert({ newId: 'u1', openid: 'o1', nickname: 'Ann', avatarUrl: 'https://a/1.png', now: 1000 });
      const again = await users.upsert({ newId: 'u2', openid: 'o1', avatarUrl: 'https://a/2.png', now: 2000 });
      expect(again).toMatchObject({ id: 'u1', nickname: 'Ann', avatarUrl: 'https://a/2.png', createdAt: 1000, lastLoginAt: 2000 });
      expect(await users.findById('u2')).toBeUndefined();
    });

    it('stores every field exactly: a unionid, text a careless encoding would mangle, times past 2^32', async () => {
      const now = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
      const user = await users.upsert({
        newId: 'u1',
        openid: 'oAbC-123_xyz',
        unionid: 'union-1',
        nickname: '微信用户 "Ann" \u{1F600}',
        avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/x/132?a=1&b=2',
        now,
      });
      expect(await users.findById('u1')).toStrictEqual(user);
      expect(user).toMatchObject({ unionid: 'union-1', nickname: '微信用户 "Ann" \u{1F600}', createdAt: now });
    });

    it('makes one user of 20 concurrent first logins of one openid through two stores', async () => {
      const stores = [fixture.store, fixture.peer];
      const logins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => stores[i % 2].upsert({ newId: `u${i}`, openid: 'o1', now: 1000 + i })),
      );
      const ids = new Set(logins.map((user) => user.id));
      expect(ids.size).toBe(1);
      const stored = await Promise.all(logins.map((_, i) => stores[i % 2].findById(`u${i}`)));
      expect(stored.filter((user) => user !== undefined).map((user) => user.id)).toStrictEqual([...ids]);
    });

    it('records logins in the audit table', async () => {
      await users.upsert({ newId: 'u1', openid: 'o1', now: 1000 });
      await users.recordLogin({ ticketId: 't1', userId: 'u1', ip: '::1', userAgent: 'ua', at: 1500 });
      await fixture.peer.recordLogin({ ticketId: 't2', userId: 'u1', ip: '::1', userAgent: 'ua', launchScene: 1047, at: 2500 });
      expect(await fixture.audit()).toStrictEqual([
        { ticketId: 't1', userId: 'u1', launchScene: null, at: 1500 },
        { ticketId: 't2', userId: 'u1', launchScene: 1047, at: 2500 },
      ]);
    });

    it('refuses a login record for a user that does not exist', async () => {
      // Matched by message: a driver's error may come from another realm (better-sqlite3 keeps
      // the error class of the first test file that loaded it), which toThrow() refuses.
      await expect(
        users.recordLogin({ ticketId: 't', userId: 'nobody', ip: '::1', userAgent: 'ua', at: 1500 }),
      ).rejects.toMatchObject({ message: expect.stringMatching(/foreign key/i) });
      expect(await fixture.audit()).toStrictEqual([]);
    });
  });
}
