import { ManualClock } from '../../../server/core/clock';
import type { Ticket } from '../../../server/core/ticket';
import { MemoryTicketStore } from '../../../server/stores/memory-ticket-store';

describe('MemoryTicketStore', () => {
  const clock = new ManualClock();
  let store: MemoryTicketStore;
  const base: Ticket = {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    secretHash: 'h',
    state: 'pending',
    version: 0,
    createdAt: clock.now(),
    expiresAt: clock.now() + 1000,
    requester: { ip: '::1', userAgent: 'test' },
  };

  beforeEach(() => {
    store = new MemoryTicketStore(clock);
  });

  afterEach(async () => {
    await store.close();
  });

  it('writes only when the expected version is still stored', async () => {
    await store.create(base, clock.now() + 5000);
    expect(await store.compareAndSet({ ...base, state: 'scanned', version: 1 }, 0, clock.now() + 5000)).toBe(true);
    expect(await store.compareAndSet({ ...base, state: 'cancelled', version: 1 }, 0, clock.now() + 5000)).toBe(false);
    expect((await store.get(base.id))?.state).toBe('scanned');
  });

  it('refuses to create a ticket twice', async () => {
    await store.create(base, clock.now() + 5000);
    await expect(store.create(base, clock.now() + 5000)).rejects.toThrow();
  });

  it('forgets a ticket at the end of its retention, and sweeps it from memory', async () => {
    await store.create(base, clock.now() + 5000);
    clock.advance(5000);
    expect(await store.get(base.id)).toBeUndefined();
    expect(await store.compareAndSet({ ...base, version: 1 }, 0, clock.now() + 5000)).toBe(true);
    clock.advance(5000);
    store.sweep();
    expect(store.size).toBe(0);
  });
});
