import { serverClockOffset } from '../../../../miniapp/src/scan-login/lib/server-clock';

/** 2025-11-25 04:00:00 UTC, and its Date header. */
const T = Date.parse('2025-11-25T04:00:00.000Z');
const DATE = 'Tue, 25 Nov 2025 04:00:00 GMT';

describe('serverClockOffset', () => {
  it('trusts a phone clock that fits the header (a whole second) and the round trip', () => {
    expect(serverClockOffset(DATE, T + 100, T + 300)).toBe(0);
    // Sent just before the second began, answered within it.
    expect(serverClockOffset(DATE, T - 200, T + 50)).toBe(0);
    // Received just before the second ended.
    expect(serverClockOffset(DATE, T + 900, T + 999)).toBe(0);
  });

  it('moves a fast phone clock back by the least that fits', () => {
    // The phone read 04:05:00.2–.4 around an answer stamped in 04:00:00.x: at least 4:59.2 fast.
    expect(serverClockOffset(DATE, T + 300_200, T + 300_400)).toBe(-299_200);
  });

  it('moves a slow phone clock forward by the least that fits', () => {
    // The phone read 03:58:00.0–.5 around 04:00:00.x: at least 1:59.5 slow.
    expect(serverClockOffset(DATE, T - 120_000, T - 119_500)).toBe(119_500);
  });

  it('trusts the phone clock when there is no usable Date header', () => {
    expect(serverClockOffset(undefined, T + 300_000, T + 300_100)).toBe(0);
    expect(serverClockOffset('soon', T + 300_000, T + 300_100)).toBe(0);
  });
});
