import { formatSeconds, msUntilNextSecond, secondsLeft } from '../../../../miniapp/src/scan-login/lib/countdown';

const DEADLINE = 1_000_000;

describe('secondsLeft', () => {
  it('rounds up, so it shows 0 only once the time is up', () => {
    expect(secondsLeft(DEADLINE, DEADLINE - 2_500)).toBe(3);
    expect(secondsLeft(DEADLINE, DEADLINE - 2_000)).toBe(2);
    expect(secondsLeft(DEADLINE, DEADLINE - 1)).toBe(1);
    expect(secondsLeft(DEADLINE, DEADLINE)).toBe(0);
    expect(secondsLeft(DEADLINE, DEADLINE + 5_000)).toBe(0);
  });
});

describe('msUntilNextSecond', () => {
  it('waits exactly until the shown number changes', () => {
    for (const now of [DEADLINE - 2_500, DEADLINE - 2_000, DEADLINE - 999, DEADLINE - 1]) {
      const wait = msUntilNextSecond(DEADLINE, now);
      expect([now, secondsLeft(DEADLINE, now + wait - 1)]).toEqual([now, secondsLeft(DEADLINE, now)]);
      expect([now, secondsLeft(DEADLINE, now + wait)]).toEqual([now, secondsLeft(DEADLINE, now) - 1]);
    }
  });

  it('reaches the deadline itself, and then has nothing left to wait for', () => {
    expect(msUntilNextSecond(DEADLINE, DEADLINE - 300)).toBe(300);
    expect(msUntilNextSecond(DEADLINE, DEADLINE)).toBe(0);
    expect(msUntilNextSecond(DEADLINE, DEADLINE + 10)).toBe(0);
  });
});

describe('formatSeconds', () => {
  it('writes m:ss', () => {
    const seconds = [0, 5, 59, 60, 65, 120, 600];
    expect(seconds.map(formatSeconds)).toEqual(['0:00', '0:05', '0:59', '1:00', '1:05', '2:00', '10:00']);
  });
});
