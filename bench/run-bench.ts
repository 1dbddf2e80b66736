import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchOptions, Phase } from './bench-options';
import { allStarted, BenchProcess } from './bench-process';
import { runLoginLoad, LoginLoadResult } from './login-load';
import { comparePush, PushLevel } from './push-comparison';
import { runScaleOut, ScaleResult } from './scale-out';
import { measureWaiting, WaitingResult } from './waiting-capacity';

const BARE_IDLE_SECONDS = 5;

export interface BenchResult {
  startedAt: string;
  machine: { cpuModel: string; cpus: number; memoryGiB: number; os: string; node: string };
  options: BenchOptions;
  /** The 1-minute load average before and after: anything else running on the machine shows here. */
  loadAverage: { before: number; after: number };
  /** Our server, and a bare ws server for what an idle socket costs by itself. */
  waiting?: { ours: WaitingResult; floor: WaitingResult };
  logins?: LoginLoadResult;
  push?: PushLevel[];
  /** With --instances 2 or more: the floor, one instance and all on Redis + PostgreSQL, and pushes across them. */
  scale?: ScaleResult;
}

function machine(): BenchResult['machine'] {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

/**
 * Every phase against servers in their own processes, one phase at a time so they never
 * compete for the two cores; each phase gets fresh processes, so one phase's garbage and
 * sockets do not weigh on the next.
 */
export async function runBench(options: BenchOptions, progress: (line: string) => void): Promise<BenchResult> {
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    options,
    loadAverage: { before: loadavg()[0], after: Number.NaN },
  };
  const profiles = resolve(options.out, 'profiles');
  const ours = (phase: Phase) =>
    BenchProcess.start(`ours-${phase}`, 'server-process.ts', {
      cpuProfileDir: options.cpuProf ? join(profiles, phase) : undefined,
    });
  const bare = (name: string, lookup: 'index' | 'scan') => BenchProcess.start(name, 'bare-server.ts', { args: [lookup] });
  const phases = new Set(options.phases);

  // Every process starts at once (start-up is mostly compiling TypeScript); each phase
  // waits for its own and stops them when done, so they never run beside another phase's load.
  const groups = {
    waiting: phases.has('waiting') ? startGroup([ours('waiting'), bare('floor-waiting', 'index')]) : undefined,
    logins: phases.has('logins') ? startGroup([ours('logins')]) : undefined,
    push: phases.has('push') ? startGroup([ours('push'), bare('floor', 'index'), bare('naive', 'scan')]) : undefined,
  };
  const stop = (children: BenchProcess[]) => Promise.all(children.map((child) => child.stop()));

  try {
    if (groups.waiting) {
      progress(`waiting: opening ${options.waiting} pages on our server, then on the bare ws server`);
      const [server, floor] = await groups.waiting;
      const oursResult = await measureWaiting(server, options.waiting, options.idleSeconds);
      // The bare server has no pinger whose round the watch must span.
      const floorResult = await measureWaiting(floor, options.waiting, Math.min(options.idleSeconds, BARE_IDLE_SECONDS));
      result.waiting = { ours: oursResult, floor: floorResult };
      await stop([server, floor]);
    }

    if (groups.logins) {
      progress(`logins: ${options.concurrency} virtual users for ${options.seconds} s (after ${options.warmupSeconds} s warm-up)`);
      const [server] = await groups.logins;
      result.logins = await runLoginLoad({ servers: [server] }, options);
      await stop([server]);
    }

    if (groups.push) {
      progress(`push: ${options.samples} timed pushes per server at ${options.levels.join(', ')} other pages waiting`);
      const [server, floor, naive] = await groups.push;
      result.push = await comparePush(
        { ours: server, floor, naive },
        { levels: options.levels, samples: options.samples, warmup: options.warmupSamples },
      );
      await stop([server, floor, naive]);
    }

    // Its processes start when it begins: one instance must be alone on the Redis bus while it is measured.
    if (phases.has('scale')) {
      result.scale = await runScaleOut(options, progress, options.cpuProf ? join(profiles, 'scale') : undefined);
    }
  } finally {
    await Promise.all(Object.values(groups).map((group) => group?.then(stop, () => undefined)));
  }
  result.loadAverage.after = loadavg()[0];
  return result;
}

/** The processes of one phase, or, if any fails to start, none left running. */
function startGroup(starts: Promise<BenchProcess>[]): Promise<BenchProcess[]> {
  const group = allStarted(starts);
  // Awaited only when its phase comes; a failure before then is not an unhandled rejection.
  group.catch(() => undefined);
  return group;
}
