import { Clock, ManualClock } from '../../../server/core/clock';
import type { Ticket } from '../../../server/core/ticket';
import type { TicketStore } from '../../../server/stores/ticket-store';

export interface TicketStoreFixture {
  store: TicketStore;
  /** Releases what the store was built on (a database, a connection, a folder); the suite closes the store itself. */
  cleanup(): void | Promise<void>;
}

const RETAIN_MS = 10_000;

/** A fresh ticket as the core creates one; store tests beside the contract use it too. */
export function pendingTicket(clock: Clock, id = 'AAAAAAAAAAAAAAAAAAAAAA', lifetimeMs = 120_000): Ticket {
  return {
    id,
    secretHash: 'c2VjcmV0LWhhc2g',
    state: 'pending',
    version: 0,
    createdAt: clock.now(),
    expiresAt: clock.now() + lifetimeMs,
    requester: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (Macintosh) Chrome/130' },
  };
}

/** Every field set, including the optional ones, with text a careless encoding would mangle. */
export function confirmedTicket(clock: Clock): Ticket {
  return {
    ...pendingTicket(clock, 'bbbbbbbbbbbbbbbbbbbbb9'),
    state: 'confirmed',
    version: 2,
    requester: { ip: '2001:db8::1', userAgent: 'Mozilla/5.0 "微信" \u{1F600}' },
    scanTokenHash: 'c2Nhbi10b2tlbi1oYXNo',
    scannedAt: clock.now() + 1_000,
    launchScene: 1047,
    userId: 'user-1',
    confirmedAt: clock.now() + 2_000,
  };
}

/**
 * The behaviour every TicketStore owes the core, whatever holds the tickets. Each store's
 * test file runs this with a factory that builds the store on the given clock.
 */
export function describeTicketStoreContract(
  name: string,
  makeStore: (clock: Clock) => Promise<TicketStoreFixture>,
): void {
  describe(`${name} (TicketStore contract)`, () => {
    let clock: ManualClock;
    let store: TicketStore;
    let cleanup: TicketStoreFixture['cleanup'];

    beforeEach(async () => {
      clock = new ManualClock();
      ({ store, cleanup } = await makeStore(clock));
    });

    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    const retainUntil = () => clock.now() + RETAIN_MS;

    it('returns every field of a created ticket, optional ones and the requester included', async () => {
      const ticket = confirmedTicket(clock);
      await store.create(ticket, retainUntil());
      expect(await store.get(ticket.id)).toStrictEqual(ticket);
    });

    it('returns a ticket without optional fields as it was created, adding none', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, retainUntil());
      expect(await store.get(ticket.id)).toStrictEqual(ticket);
    });

    it('returns undefined for an unknown id', async () => {
      await store.create(pendingTicket(clock), retainUntil());
      expect(await store.get('ZZZZZZZZZZZZZZZZZZZZZZ')).toBeUndefined();
    });

    it('refuses to create a ticket whose id exists, keeping the stored one', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, retainUntil());
      await expect(store.create({ ...ticket, state: 'cancelled' }, retainUntil())).rejects.toThrow('already exists');
      expect((await store.get(ticket.id))?.state).toBe('pending');
    });

    it('replaces the ticket when the expected version is the stored one', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, retainUntil());
      const scanned: Ticket = { ...ticket, state: 'scanned', version: 1, scanTokenHash: 's', scannedAt: clock.now() };
      expect(await store.compareAndSet(scanned, 0, retainUntil())).toBe(true);
      expect(await store.get(ticket.id)).toStrictEqual(scanned);

      const cancelled: Ticket = { ...scanned, state: 'cancelled', version: 2 };
      expect(await store.compareAndSet(cancelled, 1, retainUntil())).toBe(true);
      expect(await store.get(ticket.id)).toStrictEqual(cancelled);
    });

    it('refuses a write whose expected version is stale, keeping the newer ticket', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, retainUntil());
      await store.compareAndSet({ ...ticket, state: 'scanned', version: 1 }, 0, retainUntil());
      expect(await store.compareAndSet({ ...ticket, state: 'cancelled', version: 1 }, 0, retainUntil())).toBe(false);
      expect(await store.get(ticket.id)).toMatchObject({ state: 'scanned', version: 1 });
    });

    it('refuses a write to a ticket that does not exist, and does not create it', async () => {
      const ticket = pendingTicket(clock);
      expect(await store.compareAndSet({ ...ticket, version: 1 }, 0, retainUntil())).toBe(false);
      expect(await store.get(ticket.id)).toBeUndefined();
    });

    it('lets exactly one of many concurrent writers with the same expected version win', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, retainUntil());
      const contenders = Array.from({ length: 20 }, (_, i): Ticket => ({
        ...ticket,
        state: 'scanned',
        version: 1,
        scanTokenHash: `contender-${i}`,
      }));
      const results = await Promise.all(contenders.map((next) => store.compareAndSet(next, 0, retainUntil())));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(ticket.id)).toStrictEqual(contenders[results.indexOf(true)]);
    });

    it('forgets a ticket once its retention has passed', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 1_000);
      clock.advance(999);
      expect(await store.get(ticket.id)).toBeDefined();
      clock.advance(1);
      expect(await store.get(ticket.id)).toBeUndefined();
    });

    it('keeps a ticket until the retention given by its latest write, when that extends it', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 1_000);
      await store.compareAndSet({ ...ticket, state: 'expired', version: 1 }, 0, clock.now() + 5_000);
      clock.advance(2_000);
      expect(await store.get(ticket.id)).toMatchObject({ state: 'expired' });
    });

    it('forgets a ticket at the retention given by its latest write, when that shortens it', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 5_000);
      await store.compareAndSet({ ...ticket, state: 'cancelled', version: 1 }, 0, clock.now() + 1_000);
      clock.advance(1_000);
      expect(await store.get(ticket.id)).toBeUndefined();
    });

    it('closes, and closing again is harmless', async () => {
      await store.create(pendingTicket(clock), retainUntil());
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
