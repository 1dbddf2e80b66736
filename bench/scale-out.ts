import { join } from 'node:path';
import { PrivateRedis } from '../test/support/redis';
import { BenchDatabase } from './bench-database';
import type { BenchOptions } from './bench-options';
import { allStarted, BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { runLoginLoad, type LoginLoadResult } from './login-load';
import { PostgresCounters } from './postgres-counters';
import { measurePushLatency } from './push-latency';
import { RedisCounters } from './redis-counters';
import type { Summary } from './summary';

const FLOOR_NAME = 'floor';
const SIMULATOR_NAME = 'simulator';
/** ours-a, ours-b, …: instance A holds the pages of the push comparison. */
export const instanceName = (index: number) => `ours-${String.fromCharCode(97 + index)}`;

export interface ScaleResult {
  instances: number;
  /** The bare http + ws server answering the same requests as a login makes of us: the CPU floor. */
  floor: LoginLoadResult;
  /** Instance A alone, on Redis and PostgreSQL, WeChat in the simulator's process. */
  one: LoginLoadResult;
  /** Every instance: each login's page on one, its phone on the next. */
  all: LoginLoadResult;
  /** Scan → `scanned` on the page's ws on A, the scan POSTed to A (same) or to B (cross), in turn. */
  push: { same: Summary; cross: Summary };
  /** all ÷ one, logins per second. */
  speedup: number;
  crossOverSame: { p50: number; p99: number };
  /** Instance A's CPU per login (alone, WeChat out of process) and the floor's, ms. */
  cpuPerLogin: { ours: number; floor: number };
  /** ours ÷ floor. */
  cpuOverFloor: number;
}

type Cleanup = () => Promise<unknown>;

/**
 * The scale-out phase: a redis-server of the bench's own (so INFO counts only our
 * commands), a fresh PostgreSQL database (so its backends' CPU is ours alone), the WeChat
 * simulator in its own process and N instances of our server, each in its own. Logins run
 * against the floor, then instance A alone, then all N (B… start only then, so that one
 * instance is the only process on the Redis bus), at the same concurrency and duration;
 * then scan pushes, same- and cross-instance in turn.
 */
export async function runScaleOut(options: BenchOptions, progress: (line: string) => void, profileDir?: string): Promise<ScaleResult> {
  if (options.instances < 2) throw new Error(`the scale phase needs 2 or more instances, not ${options.instances}`);
  const cleanups: Cleanup[] = [];
  const start = (name: string, script: string, args: string[] = []) => {
    const started = BenchProcess.start(name, script, { args, cpuProfileDir: profileDir && join(profileDir, name) });
    cleanups.push(() => started.then((child) => child.stop(), () => undefined));
    return started;
  };
  try {
    const [redis, database] = await Promise.all([
      PrivateRedis.start().then(keep(cleanups, (redis) => redis.remove())),
      BenchDatabase.create().then(keep(cleanups, (database) => database.drop())),
    ]);
    const [redisCounters, postgresCounters] = await Promise.all([
      RedisCounters.open(redis.url).then(keep(cleanups, (counters) => counters.close())),
      PostgresCounters.open(database.url).then(keep(cleanups, (counters) => counters.close())),
    ]);
    const [simulator, floor] = await allStarted([start(SIMULATOR_NAME, 'simulator-process.ts'), start(FLOOR_NAME, 'bare-server.ts', ['index'])]);
    const instance = (index: number) =>
      start(instanceName(index), 'server-process.ts', [
        `REDIS_URL=${redis.url}`,
        'REDIS_KEY_PREFIX=mp-scan-login-bench:',
        `DATABASE_URL=${database.url}`,
        `WECHAT_API_BASE=${simulator.url}/__wechat__`,
      ]);
    const a = await instance(0);
    const load = { concurrency: options.concurrency, seconds: options.seconds, warmupSeconds: options.warmupSeconds };
    const read = async () => ({ ...(await redisCounters.read()), ...(await postgresCounters.read()) });

    progress(`scale: the floor, then 1 and ${options.instances} instances, ${options.concurrency} virtual users for ${options.seconds} s each`);
    const floorLoad = await runLoginLoad({ servers: [floor], wechat: simulator }, load);
    await floor.stop();
    const one = await runLoginLoad({ servers: [a], wechat: simulator, counters: read }, load);
    const others = await allStarted(Array.from({ length: options.instances - 1 }, (_, i) => instance(i + 1)));
    const all = await runLoginLoad({ servers: [a, ...others], wechat: simulator, counters: read }, load);

    progress(`scale: ${options.samples} scan pushes to a page on ${a.name}, from ${a.name} and from ${others[0].name} in turn`);
    const onA = new HttpClient(a.url, 1);
    const onB = new HttpClient(others[0].url, 1);
    const page = { url: a.url, http: onA };
    const [same, cross] = await measurePushLatency(
      [
        { page, phone: onA },
        { page, phone: onB },
      ],
      'scan',
      { samples: options.samples, warmup: options.warmupSamples },
    ).finally(() => {
      onA.close();
      onB.close();
    });

    const cpu = (result: LoginLoadResult, name: string) => result.processes.find((entry) => entry.name === name)!.cpuMsPerLogin;
    const cpuPerLogin = { ours: cpu(one, a.name), floor: cpu(floorLoad, FLOOR_NAME) };
    return {
      instances: options.instances,
      floor: floorLoad,
      one,
      all,
      push: { same, cross },
      speedup: all.loginsPerSecond / one.loginsPerSecond,
      crossOverSame: { p50: cross.p50 / same.p50, p99: cross.p99 / same.p99 },
      cpuPerLogin,
      cpuOverFloor: cpuPerLogin.ours / cpuPerLogin.floor,
    };
  } finally {
    // Processes first (they hold connections to the database and Redis), then what they used.
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => progress(`scale: cleaning up failed: ${error}`));
  }
}

/** Registers how to release what was just acquired, and passes it on. */
function keep<T>(cleanups: Cleanup[], release: (value: T) => Promise<unknown>): (value: T) => T {
  return (value) => {
    cleanups.push(() => release(value));
    return value;
  };
}
