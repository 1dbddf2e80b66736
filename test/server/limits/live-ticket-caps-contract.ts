import { ManualClock } from '../../../server/core/clock';
import type { LiveTicketCaps } from '../../../server/limits/live-tickets';

export const TTL = 120_000;

/** Builds the caps under test: perKey and max as MAX_LIVE_TICKETS_PER_IP / MAX_LIVE_TICKETS, 0 lifts. */
export type CapsFactory = (perKey: number, max: number, clock: ManualClock) => LiveTicketCaps | Promise<LiveTicketCaps>;

async function refusal(attempt: Promise<unknown>) {
  try {
    await attempt;
  } catch (error) {
    return error as { code: string; details: { limit: string }; retryAfterSeconds: number };
  }
  throw new Error('expected a refusal');
}

/** What every LiveTicketCaps does, in this process or in Redis. */
export function liveTicketCapsContract(make: CapsFactory): void {
  it('holds at most perKey open tickets for one key, with the wait until the oldest expires', async () => {
    const clock = new ManualClock(1_000_000);
    const live = await make(2, 0, clock);
    await live.reserve('a');
    clock.advance(30_000);
    await live.reserve('a');
    const refused = await refusal(live.reserve('a'));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'live-tickets-per-ip' } });
    expect(refused.retryAfterSeconds).toBe(90);
    await expect(live.reserve('b')).resolves.toBeDefined();
  });

  it('frees a place when a ticket ends, by its id', async () => {
    const live = await make(1, 0, new ManualClock(1_000_000));
    await live.bind(await live.reserve('a'), 'ticket-1');
    await expect(live.reserve('a')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await live.release('ticket-1');
    await expect(live.reserve('a')).resolves.toBeDefined();
  });

  it('frees a place whose ticket was never created', async () => {
    const live = await make(1, 1, new ManualClock(1_000_000));
    await live.release(await live.reserve('a'));
    await expect(live.reserve('b')).resolves.toBeDefined();
  });

  it('frees places whose lifetime ran out without anyone noticing', async () => {
    const clock = new ManualClock(1_000_000);
    const live = await make(1, 2, clock);
    await live.reserve('a');
    await live.reserve('b');
    expect((await refusal(live.reserve('c'))).details.limit).toBe('live-tickets');
    clock.advance(TTL);
    await expect(live.reserve('c')).resolves.toBeDefined();
    await expect(live.reserve('d')).resolves.toBeDefined();
    expect((await refusal(live.reserve('e'))).details.limit).toBe('live-tickets');
  });

  it('caps all keys together', async () => {
    const live = await make(0, 3, new ManualClock(1_000_000));
    for (const key of ['a', 'b', 'c']) await live.reserve(key);
    expect((await refusal(live.reserve('d'))).code).toBe('RATE_LIMITED');
  });

  it('releases an unknown ticket as a no-op', async () => {
    const live = await make(1, 1, new ManualClock(1_000_000));
    await live.release('never-bound');
    await expect(live.reserve('a')).resolves.toBeDefined();
  });

  it('lifts both caps at 0', async () => {
    const live = await make(0, 0, new ManualClock(1_000_000));
    for (let i = 0; i < 200; i++) await live.reserve('a');
    await expect(live.reserve('a')).resolves.toBeDefined();
  });
}
