import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OPTIONS } from '../../bench/bench-options';
import { renderReport } from '../../bench/report';
import { BenchResult, runBench } from '../../bench/run-bench';

/**
 * Every phase of `npm run bench` at toy scale, against real server processes, so the
 * bench cannot rot. It checks that the figures exist and every login succeeded, never
 * how fast anything was: timing targets are the bench's to report, not a test's to assert.
 */
describe('runBench', () => {
  let out: string;
  let result: BenchResult;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'mp-scan-login-bench-test-'));
    result = await runBench(
      {
        ...DEFAULT_OPTIONS,
        waiting: 20,
        idleSeconds: 0.1,
        concurrency: 2,
        seconds: 0.5,
        warmupSeconds: 0.1,
        levels: [5, 0],
        samples: 5,
        warmupSamples: 1,
        out,
      },
      () => undefined,
    );
  }, 30_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('measures waiting pages on our server and on the bare ws server', () => {
    for (const waiting of [result.waiting!.ours, result.waiting!.floor]) {
      expect(waiting.browsers).toBe(20);
      expect(waiting.server.waiting.rss).toBeGreaterThan(0);
      expect(waiting.secondsToReach).toBeGreaterThan(0);
    }
  });

  it('completes whole logins without an error', () => {
    const logins = result.logins!;
    expect(logins.errors).toBe(0);
    expect(logins.logins).toBeGreaterThan(0);
    expect(logins.steps.confirmPush.count).toBe(logins.logins);
    expect(logins.steps.total.p50).toBeGreaterThan(0);
  });

  it('times scan and confirm pushes on ours, and scan pushes on the floor and the naive baseline, per level', () => {
    expect(result.push!.map((level) => level.waiting)).toEqual([0, 5]);
    for (const level of result.push!) {
      expect(level.ours.scan.count).toBe(5);
      expect(level.ours.confirm.count).toBe(5);
      expect(level.floor.scan.count).toBe(5);
      expect(level.naive.scan.count).toBe(5);
      expect(level.oursOverFloor.p99).toBeGreaterThan(0);
    }
  });

  it('reports every target, with a verdict only where this run measured it', () => {
    const report = renderReport(result);
    expect(report).toContain('### Targets');
    expect(report).toMatch(/15,000 pages waiting.*not measured/);
    expect(report).toMatch(/logins\/s, every one successful.*\| (met|\*\*missed\*\*) \|/);
  });
});
