import { backoffDelay } from '../../../web/src/client/backoff';

describe('backoffDelay', () => {
  it('doubles from the base, within the upper half of each step', () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const ceiling = 100 * 2 ** attempt;
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffDelay(attempt, 100, 10_000);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('never exceeds the maximum', () => {
    for (let i = 0; i < 50; i += 1) expect(backoffDelay(30, 100, 4000)).toBeLessThanOrEqual(4000);
  });
});
