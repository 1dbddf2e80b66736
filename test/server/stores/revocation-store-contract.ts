import { Clock, ManualClock } from '../../../server/core/clock';
import type { RevocationStore } from '../../../server/stores/revocation-store';

export interface RevocationStoreFixture {
  store: RevocationStore;
  /** A second store on the same data through a connection of its own, as another instance has. */
  peer: RevocationStore;
  /** Releases what the stores were built on; every test starts from an empty table. */
  cleanup(): void | Promise<void>;
}

/**
 * The behaviour every RevocationStore owes sessions, whatever holds the revoked ids. Each
 * store's test file runs this with a factory of fresh, empty stores on the given clock.
 */
export function describeRevocationStoreContract(
  name: string,
  makeStores: (clock: Clock) => Promise<RevocationStoreFixture>,
): void {
  describe(`${name} (RevocationStore contract)`, () => {
    let clock: ManualClock;
    let fixture: RevocationStoreFixture;
    let store: RevocationStore;

    beforeEach(async () => {
      clock = new ManualClock();
      fixture = await makeStores(clock);
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    const inAWeek = () => clock.now() + 7 * 24 * 3600_000;

    it('reports a revoked token as revoked and any other as not', async () => {
      expect(await store.isRevoked('jti-1')).toBe(false);
      await store.revoke('jti-1', inAWeek());
      expect(await store.isRevoked('jti-1')).toBe(true);
      expect(await store.isRevoked('jti-2')).toBe(false);
    });

    it('takes a second revocation of the same token calmly, keeping it revoked', async () => {
      await store.revoke('jti-1', inAWeek());
      await expect(store.revoke('jti-1', inAWeek())).resolves.toBeUndefined();
      expect(await store.isRevoked('jti-1')).toBe(true);
    });

    it('makes a revocation through one store visible through the other at once', async () => {
      await store.revoke('jti-1', inAWeek());
      expect(await fixture.peer.isRevoked('jti-1')).toBe(true);
      await fixture.peer.revoke('jti-2', inAWeek());
      expect(await store.isRevoked('jti-2')).toBe(true);
    });

    it('forgets revocations past their expiry at the next revoke, keeping the live ones', async () => {
      await store.revoke('short', clock.now() + 1_000);
      await store.revoke('long', clock.now() + 5_000);
      clock.advance(999);
      await store.revoke('next', inAWeek());
      expect(await store.isRevoked('short')).toBe(true);
      clock.advance(1);
      await store.revoke('last', inAWeek());
      expect(await store.isRevoked('short')).toBe(false);
      expect(await store.isRevoked('long')).toBe(true);
    });
  });
}
