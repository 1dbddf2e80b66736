import { ManualClock } from '../../../../server/core/clock';
import { BEIJING_OFFSET_MS, DAY_MS, MINUTE_MS, Quota } from '../../../../server/wechat/simulator/quota';

describe('Quota', () => {
  it('allows `limit` calls per key in a window', () => {
    const quota = new Quota(new ManualClock(), 2, MINUTE_MS);
    expect([quota.take('alice'), quota.take('alice'), quota.take('alice')]).toEqual([true, true, false]);
    expect(quota.take('bob')).toBe(true);
  });

  it('starts counting afresh in the next fixed window, not a sliding one', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 59));
    const quota = new Quota(clock, 1, MINUTE_MS);
    expect(quota.take('alice')).toBe(true);
    expect(quota.take('alice')).toBe(false);
    clock.advance(1000);
    expect(quota.take('alice')).toBe(true);
  });

  it('turns days over at midnight in Beijing', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 15, 59, 59, 999));
    const quota = new Quota(clock, 1, DAY_MS, BEIJING_OFFSET_MS);
    expect(quota.take('app')).toBe(true);
    expect(quota.take('app')).toBe(false);
    clock.advance(1);
    expect(quota.take('app')).toBe(true);
  });
});
