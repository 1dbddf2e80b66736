import { Pinger } from '../../../server/ws/pinger';

describe('Pinger', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function run(intervalMs: number, members: number, elapsedMs: number) {
    const visits = new Map<number, number[]>();
    const pinger = new Pinger<number>(intervalMs, (member) => visits.get(member)!.push(Date.now()));
    for (let i = 0; i < members; i++) {
      visits.set(i, []);
      pinger.add(i);
    }
    const start = Date.now();
    jest.advanceTimersByTime(elapsedMs);
    pinger.stop();
    return { visits, start };
  }

  it.each([
    [30_000, 1],
    [30_000, 1000],
    [300, 3],
    [100, 2],
  ])('visits each member once per %i ms interval with %i members', (intervalMs, members) => {
    const { visits } = run(intervalMs, members, intervalMs * 5);
    for (const times of visits.values()) {
      expect(times).toHaveLength(5);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeCloseTo(intervalMs, 5);
    }
  });

  it('spreads the members over the interval instead of visiting them in one sweep', () => {
    const { visits } = run(30_000, 1200, 30_000);
    const perTick = new Map<number, number>();
    for (const [time] of visits.values()) perTick.set(time, (perTick.get(time) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBe(10);
  });

  it('stops visiting a member once deleted', () => {
    const seen: string[] = [];
    const pinger = new Pinger<string>(1000, (member) => seen.push(member));
    pinger.add('a');
    pinger.add('b');
    pinger.delete('a');
    jest.advanceTimersByTime(3000);
    pinger.stop();
    expect(seen).toEqual(['b', 'b', 'b']);
  });
});
