import type { BenchResult } from './run-bench';

export interface TargetVerdict {
  target: string;
  measured: string;
  /** undefined when this run did not measure it (a phase skipped, or too few pages). */
  met?: boolean;
}

const KiB = 1024;
const TARGET_WAITING = 15_000;
const TARGET_RSS_PER_BROWSER = 10 * KiB;
const TARGET_LOGINS_PER_SECOND = 500;
const TARGET_PUSH_WAITING = 10_000;
const TARGET_SCAN_OVER_FLOOR = 1.5;
const TARGET_CONFIRM_P99_MS = 2;
const TARGET_CROSS_OVER_SAME_P50 = 1.5;
const TARGET_SPEEDUP = 1.4;
const TARGET_CPU_OVER_FLOOR = 2;

/** Issue 5's targets, then issue 12's (the scale-out phase), against this run's figures. */
export function judgeTargets(result: BenchResult): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const waiting = result.waiting?.ours;
  verdicts.push({
    target: `${TARGET_WAITING.toLocaleString('en')} pages waiting, ≤ 10 KiB RSS each`,
    measured: waiting
      ? `${waiting.browsers.toLocaleString('en')} waiting, ${(waiting.perBrowser.rss / KiB).toFixed(1)} KiB RSS each`
      : 'not run',
    met: waiting && waiting.browsers >= TARGET_WAITING ? waiting.perBrowser.rss <= TARGET_RSS_PER_BROWSER : undefined,
  });

  const logins = result.logins;
  verdicts.push({
    target: `≥ ${TARGET_LOGINS_PER_SECOND} logins/s, every one successful`,
    measured: logins ? `${logins.loginsPerSecond.toFixed(0)} logins/s, ${logins.errors} errors` : 'not run',
    met: logins ? logins.loginsPerSecond >= TARGET_LOGINS_PER_SECOND && logins.errors === 0 : undefined,
  });

  const level = result.push?.find((entry) => entry.waiting >= TARGET_PUSH_WAITING);
  verdicts.push({
    target: `scan push p99 ≤ ${TARGET_SCAN_OVER_FLOOR}× the floor's, ${TARGET_PUSH_WAITING.toLocaleString('en')} waiting`,
    measured: level
      ? `${level.oursOverFloor.p99.toFixed(2)}× (${level.ours.scan.p99.toFixed(2)} vs ${level.floor.scan.p99.toFixed(2)} ms)`
      : 'not run at 10,000 waiting',
    met: level ? level.oursOverFloor.p99 <= TARGET_SCAN_OVER_FLOOR : undefined,
  });
  verdicts.push({
    target: `confirm push p99 ≤ ${TARGET_CONFIRM_P99_MS} ms, ${TARGET_PUSH_WAITING.toLocaleString('en')} waiting`,
    measured: level ? `${level.ours.confirm.p99.toFixed(2)} ms` : 'not run at 10,000 waiting',
    met: level ? level.ours.confirm.p99 <= TARGET_CONFIRM_P99_MS : undefined,
  });

  const scale = result.scale;
  const notRun = 'not run (--instances 2)';
  verdicts.push({
    target: `cross-instance scan push p50 ≤ ${TARGET_CROSS_OVER_SAME_P50}× same-instance`,
    measured: scale
      ? `${scale.crossOverSame.p50.toFixed(2)}× (${scale.push.cross.p50.toFixed(2)} vs ${scale.push.same.p50.toFixed(2)} ms)`
      : notRun,
    met: scale ? scale.crossOverSame.p50 <= TARGET_CROSS_OVER_SAME_P50 : undefined,
  });
  verdicts.push({
    target: `${scale?.instances ?? 2} instances ≥ ${TARGET_SPEEDUP}× the logins/s of one, every one successful`,
    measured: scale
      ? `${scale.speedup.toFixed(2)}× (${scale.all.loginsPerSecond.toFixed(0)} vs ${scale.one.loginsPerSecond.toFixed(0)} logins/s, ` +
        `${scale.one.errors + scale.all.errors} errors)`
      : notRun,
    met: scale ? scale.speedup >= TARGET_SPEEDUP && scale.one.errors + scale.all.errors === 0 : undefined,
  });
  verdicts.push({
    target: `our CPU per login, WeChat out of process, ≤ ${TARGET_CPU_OVER_FLOOR}× a bare http + ws server's`,
    measured: scale
      ? `${scale.cpuOverFloor.toFixed(2)}× (${scale.cpuPerLogin.ours.toFixed(2)} vs ${scale.cpuPerLogin.floor.toFixed(2)} ms/login)`
      : notRun,
    met: scale ? scale.cpuOverFloor <= TARGET_CPU_OVER_FLOOR : undefined,
  });
  return verdicts;
}
