import { ManualClock } from '../../../server/core/clock';
import { LiveTickets } from '../../../server/limits/live-tickets';

describe('LiveTickets', () => {
  const TTL = 120_000;

  function refusal(fn: () => unknown) {
    try {
      fn();
    } catch (error) {
      return error as { code: string; details: { limit: string }; retryAfterSeconds: number };
    }
    throw new Error('expected a refusal');
  }

  it('holds at most perKey open tickets for one key, with the wait until the oldest expires', () => {
    const clock = new ManualClock(0);
    const live = new LiveTickets(2, 0, TTL, clock);
    live.reserve('a');
    clock.advance(30_000);
    live.reserve('a');
    const refused = refusal(() => live.reserve('a'));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'live-tickets-per-ip' } });
    expect(refused.retryAfterSeconds).toBe(90);
    expect(() => live.reserve('b')).not.toThrow();
  });

  it('frees a place when a ticket ends, by its id', () => {
    const live = new LiveTickets(1, 0, TTL, new ManualClock(0));
    live.bind(live.reserve('a'), 'ticket-1');
    expect(() => live.reserve('a')).toThrow();
    live.release('ticket-1');
    expect(() => live.reserve('a')).not.toThrow();
  });

  it('frees a place whose ticket was never created', () => {
    const live = new LiveTickets(1, 0, TTL, new ManualClock(0));
    live.release(live.reserve('a'));
    expect(live.size).toBe(0);
  });

  it('frees places whose lifetime ran out without anyone noticing', () => {
    const clock = new ManualClock(0);
    const live = new LiveTickets(1, 2, TTL, clock);
    live.reserve('a');
    live.reserve('b');
    expect(refusal(() => live.reserve('c')).details.limit).toBe('live-tickets');
    clock.advance(TTL);
    expect(() => live.reserve('c')).not.toThrow();
    expect(live.size).toBe(1);
  });

  it('caps all keys together', () => {
    const live = new LiveTickets(0, 3, TTL, new ManualClock(0));
    for (const key of ['a', 'b', 'c']) live.reserve(key);
    expect(refusal(() => live.reserve('d')).code).toBe('RATE_LIMITED');
  });

  it('lifts both caps at 0', () => {
    const live = new LiveTickets(0, 0, TTL, new ManualClock(0));
    for (let i = 0; i < 1000; i++) live.reserve('a');
    expect(live.size).toBe(1000);
  });
});
