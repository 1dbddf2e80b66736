import { DEFAULT_OPTIONS, parseBenchOptions } from '../../bench/bench-options';

describe('parseBenchOptions', () => {
  it('runs the single-server phases by default', () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS.phases).toEqual(['waiting', 'logins', 'push']);
  });

  it('adds the scale phase with --instances 2 or more', () => {
    const options = parseBenchOptions(['--instances', '3']);
    expect(options.instances).toBe(3);
    expect(options.phases).toEqual(['waiting', 'logins', 'push', 'scale']);
    expect(parseBenchOptions(['--instances', '2', '--phases', 'scale']).phases).toEqual(['scale']);
  });

  it('refuses the scale phase with one instance, and an instance count that is not a whole number ≥ 1', () => {
    expect(() => parseBenchOptions(['--phases', 'scale'])).toThrow(/--phases scale needs --instances 2 or more/);
    expect(() => parseBenchOptions(['--instances', '0'])).toThrow(/--instances must be a number ≥ 1/);
    expect(() => parseBenchOptions(['--instances', '1.5'])).toThrow(/--instances must be a whole number/);
  });
});
