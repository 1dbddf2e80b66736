import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchOptions, DEFAULT_OPTIONS } from '../../bench/bench-options';
import { renderReport } from '../../bench/report';
import { BenchResult, runBench } from '../../bench/run-bench';
import { describeWithPostgres } from '../support/postgres';
import { describeWithRedis } from '../support/redis';

/**
 * Every phase of `npm run bench` at toy scale, against real server processes, so the
 * bench cannot rot. It checks that the figures exist and every login succeeded, never
 * how fast anything was: timing targets are the bench's to report, not a test's to assert.
 */
const TOY: Partial<BenchOptions> = {
  concurrency: 2,
  seconds: 0.5,
  warmupSeconds: 0.1,
  samples: 5,
  warmupSamples: 1,
};

function benchAtToyScale(options: Partial<BenchOptions>, timeoutMs: number): () => BenchResult {
  let out: string;
  let result: BenchResult | undefined;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'mp-scan-login-bench-test-'));
    result = await runBench({ ...DEFAULT_OPTIONS, ...TOY, ...options, out }, () => undefined);
  }, timeoutMs);
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  return () => result!;
}

describe('runBench', () => {
  const bench = benchAtToyScale({ waiting: 20, idleSeconds: 0.1, levels: [5, 0] }, 30_000);

  it('measures waiting pages on our server and on the bare ws server', () => {
    for (const waiting of [bench().waiting!.ours, bench().waiting!.floor]) {
      expect(waiting.browsers).toBe(20);
      expect(waiting.server.waiting.rss).toBeGreaterThan(0);
      expect(waiting.secondsToReach).toBeGreaterThan(0);
    }
  });

  it('completes whole logins without an error, with the CPU per login of the server and of the load generator', () => {
    const logins = bench().logins!;
    expect(logins.errors).toBe(0);
    expect(logins.logins).toBeGreaterThan(0);
    expect(logins.steps.confirmPush.count).toBe(logins.logins);
    expect(logins.steps.total.p50).toBeGreaterThan(0);
    expect(logins.processes.map((entry) => entry.name)).toEqual(['ours-logins', 'load generator']);
    for (const entry of logins.processes) expect(entry.cpuMsPerLogin).toBeGreaterThan(0);
  });

  it('times scan and confirm pushes on ours, and scan pushes on the floor and the naive baseline, per level', () => {
    expect(bench().push!.map((level) => level.waiting)).toEqual([0, 5]);
    for (const level of bench().push!) {
      expect(level.ours.scan.count).toBe(5);
      expect(level.ours.confirm.count).toBe(5);
      expect(level.floor.scan.count).toBe(5);
      expect(level.naive.scan.count).toBe(5);
      expect(level.oursOverFloor.p99).toBeGreaterThan(0);
    }
  });

  it('reports every target, with a verdict only where this run measured it', () => {
    const report = renderReport(bench());
    expect(report).toContain('### Targets');
    expect(report).toMatch(/15,000 pages waiting.*not measured/);
    expect(report).toMatch(/logins\/s, every one successful.*\| (met|\*\*missed\*\*) \|/);
    expect(report).toMatch(/cross-instance scan push.*not run \(--instances 2\) \| not measured/);
    expect(bench().scale).toBeUndefined();
  });
});

// The suite's own database stays unused: the bench creates and drops one of its own, and
// starts a redis-server of its own, as `npm run bench -- --instances 2` does.
describeWithPostgres('runBench --instances 2', () => {
  describeWithRedis('the scale-out phase', () => {
    const bench = benchAtToyScale({ instances: 2, phases: ['scale'] }, 120_000);

    it('completes every login on the floor, on one instance and across two', () => {
      const { floor, one, all } = bench().scale!;
      for (const run of [floor, one, all]) {
        expect(run.errors).toBe(0);
        expect(run.logins).toBeGreaterThan(0);
        expect(run.steps.confirmPush.count).toBe(run.logins);
      }
    });

    it('gives the CPU per login of every process: each instance, the simulator, the load generator', () => {
      const { floor, one, all } = bench().scale!;
      const names = (run: typeof one) => run.processes.map((entry) => entry.name);
      expect(names(floor)).toEqual(['floor', 'simulator', 'load generator']);
      expect(names(one)).toEqual(['ours-a', 'simulator', 'load generator']);
      expect(names(all)).toEqual(['ours-a', 'ours-b', 'simulator', 'load generator']);
      for (const run of [floor, one, all]) for (const entry of run.processes) expect(entry.cpuMsPerLogin).toBeGreaterThan(0);
    });

    it('counts the Redis commands per login, by command, and the PostgreSQL transactions', () => {
      for (const run of [bench().scale!.one, bench().scale!.all]) {
        expect(run.countersPerLogin!['redis:commands']).toBeGreaterThan(0);
        expect(run.countersPerLogin!['redis:calls:evalsha']).toBeGreaterThan(0);
        expect(run.countersPerLogin!['redis:cpuMs']).toBeGreaterThan(0);
        // PostgreSQL publishes its statistics about once a second: a toy window may see none yet.
        expect(Number.isFinite(run.countersPerLogin!['postgres:transactions'])).toBe(true);
        expect(run.countersPerLogin!['postgres:cpuMs']).toBeGreaterThanOrEqual(0);
      }
    });

    it('times scan pushes same-instance and cross-instance, as many of each', () => {
      const { push, crossOverSame, speedup, cpuOverFloor } = bench().scale!;
      expect(push.same.count).toBe(5);
      expect(push.cross.count).toBe(5);
      for (const ratio of [crossOverSame.p50, crossOverSame.p99, speedup, cpuOverFloor]) expect(ratio).toBeGreaterThan(0);
    });

    it('reports the scale-out figures and a verdict on each of its targets', () => {
      const report = renderReport(bench());
      expect(report).toContain('### Scale-out: 2 instances');
      expect(report).toMatch(/Redis commands per login \| – \| \d/);
      for (const target of [/cross-instance scan push p50/, /2 instances ≥ 1.4×/, /CPU per login, WeChat out of process/]) {
        expect(report).toMatch(new RegExp(`${target.source}.*\\| (met|\\*\\*missed\\*\\*) \\|`));
      }
    });
  });
});
