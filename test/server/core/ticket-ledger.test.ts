import type { TicketEvent } from '../../../server/core/event-bus';
import type { Ticket } from '../../../server/core/ticket';
import { TicketLedger } from '../../../server/core/ticket-ledger';
import { noMetrics } from '../../../server/metrics/metrics';
import { InProcessBus } from '../../../server/push/in-process-bus';
import { MemoryTicketStore } from '../../../server/stores/memory-ticket-store';

describe('TicketLedger', () => {
  let now: number;
  let store: MemoryTicketStore;
  let events: TicketEvent[];
  let ledger: TicketLedger;
  const clock = { now: () => now };

  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryTicketStore(clock);
    const bus = new InProcessBus();
    events = [];
    bus.subscribe((event) => events.push(event));
    ledger = new TicketLedger({ tickets: store, bus, clock, retainMs: 60_000 });
  });

  afterEach(() => store.close());

  const ticket = (): Ticket => ({
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    secretHash: 'x',
    state: 'pending',
    version: 0,
    createdAt: now,
    expiresAt: now + 10_000,
    requester: { ip: '203.0.113.1', userAgent: 'test' },
  });

  it('publishes a change of status, not a reservation that leaves the status alone', async () => {
    await ledger.create(ticket());
    const scanned = await ledger.commit(await ledger.find(ticket().id), { type: 'scan', scanTokenHash: 'h' });
    await ledger.commit(scanned, { type: 'reserve', by: 'me', until: now + 1000 });
    // With the ticket as committed, for this process's own sockets.
    expect(events).toEqual([{ ticketId: ticket().id, status: 'scanned', ticket: expect.objectContaining({ state: 'scanned' }) }]);
  });

  it('counts an ending once, by the writer that won it, and nothing for a status on the way', async () => {
    const outcomes: string[] = [];
    const counting = new TicketLedger({
      tickets: store,
      bus: new InProcessBus(),
      clock,
      retainMs: 60_000,
      metrics: { ...noMetrics, login: (outcome) => void outcomes.push(outcome) },
    });
    await counting.create(ticket());
    const seen = await counting.commit(await counting.find(ticket().id), { type: 'scan', scanTokenHash: 'h' });
    await Promise.all([counting.apply(seen, { type: 'cancel' }), counting.apply(seen, { type: 'cancel' })]);
    expect(outcomes).toEqual(['cancelled']);
  });

  it('lets one of two writers of the same version win; the loser gets undefined from apply', async () => {
    await ledger.create(ticket());
    const seen = await ledger.find(ticket().id);
    const results = await Promise.all([ledger.apply(seen, { type: 'cancel' }), ledger.apply(seen, { type: 'cancel' })]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('re-judges a commit that lost its race on the fresh ticket, and refuses what it no longer allows', async () => {
    await ledger.create(ticket());
    const stale = await ledger.find(ticket().id);
    await ledger.commit(stale, { type: 'cancel' });
    await expect(ledger.commit(stale, { type: 'scan', scanTokenHash: 'h' })).rejects.toMatchObject({ code: 'TICKET_CANCELLED' });
  });

  it('expires a ticket past its time when it is read, once', async () => {
    await ledger.create(ticket());
    now += 10_000;
    expect((await ledger.find(ticket().id)).state).toBe('expired');
    expect((await ledger.find(ticket().id)).state).toBe('expired');
    expect(events).toEqual([{ ticketId: ticket().id, status: 'expired', ticket: expect.objectContaining({ id: ticket().id }) }]);
  });

  it('answers an id that cannot exist without asking the store', async () => {
    expect(await ledger.peek('../../etc/passwd')).toBeUndefined();
    await expect(ledger.find('nope')).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });
});
