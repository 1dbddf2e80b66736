import { ManualClock } from '../../../server/core/clock';
import { LiveTickets } from '../../../server/limits/live-tickets';
import { noMetrics } from '../../../server/metrics/metrics';
import { liveTicketCapsContract, TTL } from './live-ticket-caps-contract';

describe('LiveTickets', () => {
  liveTicketCapsContract((perKey, max, clock) => new LiveTickets(perKey, max, TTL, clock));

  it('keeps no place once its ticket ended or expired', async () => {
    const clock = new ManualClock(0);
    const live = new LiveTickets(1, 10, TTL, clock);
    await live.bind(await live.reserve('a'), 'ticket-1');
    await live.reserve('b');
    expect(live.size).toBe(2);
    await live.release('ticket-1');
    clock.advance(TTL);
    await live.reserve('c');
    expect(live.size).toBe(2);
  });

  it('holds nothing while both caps are lifted', async () => {
    const live = new LiveTickets(0, 0, TTL, new ManualClock(0));
    for (let i = 0; i < 100; i++) await live.bind(await live.reserve('a'), `ticket-${i}`);
    expect(live.size).toBe(0);
    expect((live as unknown as { byTicket: Map<string, unknown> }).byTicket.size).toBe(0);
  });

  it('counts each refusal by the limit that refused', async () => {
    const hits: string[] = [];
    const live = new LiveTickets(1, 0, TTL, new ManualClock(0), { ...noMetrics, limitHit: (limit) => hits.push(limit) });
    await live.reserve('a');
    await expect(live.reserve('a')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(hits).toEqual(['live-tickets-per-ip']);
  });
});
