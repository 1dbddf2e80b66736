import { ManualClock } from '../../../server/core/clock';
import { MemoryTicketStore } from '../../../server/stores/memory-ticket-store';
import { describeTicketStoreContract, pendingTicket } from './ticket-store-contract';

describeTicketStoreContract('MemoryTicketStore', async (clock) => ({
  store: new MemoryTicketStore(clock),
  cleanup: () => undefined,
}));

describe('MemoryTicketStore', () => {
  const clock = new ManualClock();
  let store: MemoryTicketStore;

  const ticket = (id: string) => pendingTicket(clock, id, 1000);

  beforeEach(() => {
    store = new MemoryTicketStore(clock);
  });

  afterEach(async () => {
    await store.close();
  });

  it('sweeps tickets past their retention from memory and keeps the others', async () => {
    await store.create(ticket('AAAAAAAAAAAAAAAAAAAAAA'), clock.now() + 1000);
    await store.create(ticket('BBBBBBBBBBBBBBBBBBBBBB'), clock.now() + 5000);
    clock.advance(1000);
    store.sweep();
    expect(store.size).toBe(1);
    expect(await store.get('BBBBBBBBBBBBBBBBBBBBBB')).toBeDefined();
  });
});
