import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { LOGIN_STEPS, LoginFailed, LoginSides, LoginStep, LoginTimes, runLogin } from './login-flow';
import type { ProcessUsage } from './process-probe';
import { summarize, Summary } from './summary';

export interface LoginLoadOptions {
  concurrency: number;
  seconds: number;
  /** Logins run before the measured window, to warm the JIT and the connection pool. */
  warmupSeconds: number;
}

/** Where the logins go, and what else is read around the measured window. */
export interface LoginTarget {
  /**
   * Login k's page steps go to servers[k mod n], its phone steps to the next one: with
   * several instances, every login crosses from one to another. With one, it is all there.
   */
  servers: BenchProcess[];
  /** Where wx.login goes: the shared simulator's process; by default the phone's server (its embedded simulator). */
  wechat?: BenchProcess;
  /** Counters read before and after the measured window (Redis INFO); the result holds their change per login. */
  counters?: () => Promise<Record<string, number>>;
}

/** One process's share of the measured window. */
export interface ProcessLoad {
  name: string;
  /** Of one core: 100 is one core busy the whole window. */
  cpuPercent: number;
  cpuMsPerLogin: number;
  /** Event-loop delay over the window, ms; not measured in the load generator. */
  loopDelay?: { p50: number; p99: number; max: number };
}

export const LOAD_GENERATOR = 'load generator';

export interface LoginLoadResult {
  concurrency: number;
  seconds: number;
  /** The machine's 1-minute load average as the measured window began: what else was running. */
  loadAverage: number;
  logins: number;
  loginsPerSecond: number;
  errors: number;
  /** The step each failed login stopped at, with a count and the first message. */
  errorsByStep: Partial<Record<LoginStep, { count: number; first: string }>>;
  steps: Record<LoginStep | 'total', Summary>;
  /** The servers, the simulator's process if any, then this process, which drives the virtual users: if it is saturated, the figure is its limit. */
  processes: ProcessLoad[];
  /** The change of each of `counters` over the window, per login. */
  countersPerLogin?: Record<string, number>;
}

/**
 * `concurrency` virtual users, each running whole logins back to back for `seconds`.
 * Every login either completes (token received, /api/me answers for the same user) or
 * counts as an error; nothing is retried.
 */
export async function runLoginLoad(target: LoginTarget, options: LoginLoadOptions): Promise<LoginLoadResult> {
  const { servers } = target;
  const endpoints = servers.map((server) => ({ url: server.url, http: new HttpClient(server.url, options.concurrency) }));
  const wechat = target.wechat && new HttpClient(target.wechat.url, options.concurrency);
  const watched = target.wechat ? [...servers, target.wechat] : servers;
  const sides = (k: number): LoginSides => {
    const phone = endpoints[(k + 1) % endpoints.length].http;
    return { page: endpoints[k % endpoints.length], phone, wechat: wechat ?? phone };
  };
  // A new simulated WeChat user for every login, each a first login (an INSERT), in every run.
  const run = randomBytes(4).toString('hex');
  let loginNumber = 0;
  const runFor = async (seconds: number, record: (times: LoginTimes) => void, fail: (error: LoginFailed) => void) => {
    const deadline = performance.now() + seconds * 1000;
    const user = async () => {
      while (performance.now() < deadline) {
        const k = loginNumber++;
        await runLogin(sides(k), `bench-${run}-${k}`).then(record, fail);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, user));
  };
  const usages = () => Promise.all(watched.map((child) => child.usage()));

  try {
    await runFor(options.warmupSeconds, () => undefined, () => undefined);
    await Promise.all(servers.map((server) => server.resetLoopDelay()));
    const countersBefore = await target.counters?.();
    const before = await usages();

    const samples: LoginTimes[] = [];
    const errorsByStep: LoginLoadResult['errorsByStep'] = {};
    let errors = 0;
    const loadAverage = loadavg()[0];
    const started = performance.now();
    const clientCpu = process.cpuUsage();
    await runFor(
      options.seconds,
      (times) => samples.push(times),
      (error) => {
        errors++;
        const entry = (errorsByStep[error.step] ??= { count: 0, first: error.message });
        entry.count++;
      },
    );
    const elapsedMs = performance.now() - started;
    const clientCpuUsed = process.cpuUsage(clientCpu);
    const after = await usages();
    const countersAfter = await target.counters?.();

    const logins = samples.length;
    const load = (name: string, cpuMs: number, usage?: ProcessUsage): ProcessLoad => ({
      name,
      cpuPercent: (cpuMs / elapsedMs) * 100,
      cpuMsPerLogin: cpuMs / logins,
      ...(usage && { loopDelay: { p50: usage.loop.p50, p99: usage.loop.p99, max: usage.loop.max } }),
    });
    const steps = Object.fromEntries(
      [...LOGIN_STEPS, 'total' as const].map((step) => [step, summarize(samples.map((times) => times[step]))]),
    ) as Record<LoginStep | 'total', Summary>;
    return {
      concurrency: options.concurrency,
      seconds: elapsedMs / 1000,
      loadAverage,
      logins,
      loginsPerSecond: logins / (elapsedMs / 1000),
      errors,
      errorsByStep,
      steps,
      processes: [
        ...watched.map((child, i) => load(child.name, after[i].cpuMs - before[i].cpuMs, after[i])),
        load(LOAD_GENERATOR, (clientCpuUsed.user + clientCpuUsed.system) / 1000),
      ],
      ...(countersBefore &&
        countersAfter && {
          countersPerLogin: Object.fromEntries(
            Object.entries(countersAfter).map(([name, value]) => [name, (value - (countersBefore[name] ?? 0)) / logins]),
          ),
        }),
    };
  } finally {
    for (const endpoint of endpoints) endpoint.http.close();
    wechat?.close();
  }
}
