import type { AccessTokenStore } from '../../../server/wechat/access-token-store';

export interface AccessTokenStoreFixture {
  store: AccessTokenStore;
  /** A second store on the same data through a connection of its own, as another instance has. */
  peer: AccessTokenStore;
  /** Releases what the stores were built on; every test starts from an empty table. */
  cleanup(): void | Promise<void>;
}

// A real expiry: two hours after a 2026 instant, in ms, far past 2^32.
const EXPIRES_AT = Date.UTC(2026, 0, 1, 12, 0, 0, 123) + 7_200_000;

/**
 * The behaviour every AccessTokenStore owes the WeChat client, whatever holds the token.
 * Each store's test file runs this with a factory of fresh, empty stores.
 */
export function describeAccessTokenStoreContract(name: string, makeStores: () => Promise<AccessTokenStoreFixture>): void {
  describe(`${name} (AccessTokenStore contract)`, () => {
    let fixture: AccessTokenStoreFixture;
    let store: AccessTokenStore;

    beforeEach(async () => {
      fixture = await makeStores();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('has no token for an appid that never had one', async () => {
      expect(await store.get('wx-app-1')).toBeUndefined();
    });

    it('returns the token set for an appid, expiry to the millisecond', async () => {
      await store.set('wx-app-1', { token: 'ACCESS_TOKEN_1', expiresAt: EXPIRES_AT });
      expect(await store.get('wx-app-1')).toStrictEqual({ token: 'ACCESS_TOKEN_1', expiresAt: EXPIRES_AT });
    });

    it("replaces an appid's token, leaving other appids' tokens alone", async () => {
      await store.set('wx-app-1', { token: 'first', expiresAt: EXPIRES_AT });
      await store.set('wx-app-2', { token: 'other', expiresAt: EXPIRES_AT });
      await store.set('wx-app-1', { token: 'second', expiresAt: EXPIRES_AT + 1 });
      expect(await store.get('wx-app-1')).toStrictEqual({ token: 'second', expiresAt: EXPIRES_AT + 1 });
      expect(await store.get('wx-app-2')).toStrictEqual({ token: 'other', expiresAt: EXPIRES_AT });
    });

    it('shares the token: one set through one store is read through the other', async () => {
      await store.set('wx-app-1', { token: 'shared', expiresAt: EXPIRES_AT });
      expect(await fixture.peer.get('wx-app-1')).toStrictEqual({ token: 'shared', expiresAt: EXPIRES_AT });
    });
  });
}
