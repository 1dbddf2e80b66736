import { Clock, ManualClock } from '../../../server/core/clock';
import type { Ticket } from '../../../server/core/ticket';
import type { TicketStore } from '../../../server/stores/ticket-store';
import { confirmedTicket, pendingTicket } from './ticket-store-contract';

const RETAIN_MS = 10_000;

export interface SharedTicketStoreFixture {
  /** Two stores over the same storage, each on its own connection, as two instances would be. */
  stores: [TicketStore, TicketStore];
  /** Releases what the stores were built on; the suite closes the stores itself. */
  cleanup(): void | Promise<void>;
}

/**
 * What a store shared by several instances owes on top of the contract: each instance
 * sees the others' writes, and compare-and-set holds across them (a page's socket on one
 * instance, the confirm on another).
 */
export function describeSharedTicketStoreContract(
  name: string,
  makeStores: (clock: Clock) => Promise<SharedTicketStoreFixture>,
): void {
  describe(`${name} (shared TicketStore contract)`, () => {
    let clock: ManualClock;
    let one: TicketStore;
    let other: TicketStore;
    let cleanup: SharedTicketStoreFixture['cleanup'];

    beforeEach(async () => {
      clock = new ManualClock();
      ({
        stores: [one, other],
        cleanup,
      } = await makeStores(clock));
    });

    afterEach(async () => {
      await Promise.all([one.close(), other.close()]);
      await cleanup();
    });

    const retainUntil = () => clock.now() + RETAIN_MS;

    it('gives one instance every field of a ticket another created', async () => {
      const ticket = confirmedTicket(clock);
      await one.create(ticket, retainUntil());
      expect(await other.get(ticket.id)).toStrictEqual(ticket);
    });

    it('refuses to create, on one instance, a ticket another already created', async () => {
      const ticket = pendingTicket(clock);
      await one.create(ticket, retainUntil());
      await expect(other.create({ ...ticket, state: 'cancelled' }, retainUntil())).rejects.toThrow('already exists');
      expect((await one.get(ticket.id))?.state).toBe('pending');
    });

    it("shows one instance another's write, and refuses its own write on the version it replaced", async () => {
      const ticket = pendingTicket(clock);
      await one.create(ticket, retainUntil());
      const scanned: Ticket = { ...ticket, state: 'scanned', version: 1, scanTokenHash: 's' };
      expect(await one.compareAndSet(scanned, 0, retainUntil())).toBe(true);
      expect(await other.get(ticket.id)).toStrictEqual(scanned);
      expect(await other.compareAndSet({ ...ticket, state: 'cancelled', version: 1 }, 0, retainUntil())).toBe(false);
      expect(await one.get(ticket.id)).toStrictEqual(scanned);
    });

    it('lets exactly one of many concurrent writers win when they are spread over instances', async () => {
      const ticket = pendingTicket(clock);
      await one.create(ticket, retainUntil());
      const contenders = Array.from({ length: 40 }, (_, i): Ticket => ({
        ...ticket,
        state: 'scanned',
        version: 1,
        scanTokenHash: `contender-${i}`,
      }));
      const results = await Promise.all(
        contenders.map((next, i) => (i % 2 === 0 ? one : other).compareAndSet(next, 0, retainUntil())),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = contenders[results.indexOf(true)];
      expect(await one.get(ticket.id)).toStrictEqual(winner);
      expect(await other.get(ticket.id)).toStrictEqual(winner);
    });
  });
}
