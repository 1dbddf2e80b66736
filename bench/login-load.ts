import type { BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { LOGIN_STEPS, LoginFailed, LoginStep, LoginTimes, runLogin } from './login-flow';
import { summarize, Summary } from './summary';

export interface LoginLoadOptions {
  concurrency: number;
  seconds: number;
  /** Logins run before the measured window, to warm the JIT and the connection pool. */
  warmupSeconds: number;
}

export interface LoginLoadResult {
  concurrency: number;
  seconds: number;
  logins: number;
  loginsPerSecond: number;
  errors: number;
  /** The step each failed login stopped at, with a count and the first message. */
  errorsByStep: Partial<Record<LoginStep, { count: number; first: string }>>;
  steps: Record<LoginStep | 'total', Summary>;
  server: { cpuPercent: number; loopDelay: { p50: number; p99: number; max: number } };
  /** This process, which drives the virtual users: if it is saturated, the figure is its limit. */
  loadGenerator: { cpuPercent: number };
}

/**
 * `concurrency` virtual users, each running whole logins back to back for `seconds`.
 * Every login either completes (token received, /api/me answers for the same user) or
 * counts as an error; nothing is retried.
 */
export async function runLoginLoad(server: BenchProcess, options: LoginLoadOptions): Promise<LoginLoadResult> {
  const http = new HttpClient(server.url, options.concurrency);
  let loginNumber = 0;
  const runFor = async (seconds: number, record: (times: LoginTimes) => void, fail: (error: LoginFailed) => void) => {
    const deadline = performance.now() + seconds * 1000;
    const user = async () => {
      while (performance.now() < deadline) {
        // A new simulated WeChat user for every login: each is a first login (an INSERT).
        await runLogin(http, server.url, `bench-user-${loginNumber++}`).then(record, fail);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, user));
  };

  try {
    await runFor(options.warmupSeconds, () => undefined, () => undefined);
    const before = await server.stats();
    await server.resetLoopDelay();

    const samples: LoginTimes[] = [];
    const errorsByStep: LoginLoadResult['errorsByStep'] = {};
    let errors = 0;
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
    const after = await server.stats();

    const steps = Object.fromEntries(
      [...LOGIN_STEPS, 'total' as const].map((step) => [step, summarize(samples.map((times) => times[step]))]),
    ) as Record<LoginStep | 'total', Summary>;
    return {
      concurrency: options.concurrency,
      seconds: elapsedMs / 1000,
      logins: samples.length,
      loginsPerSecond: samples.length / (elapsedMs / 1000),
      errors,
      errorsByStep,
      steps,
      server: {
        cpuPercent: ((after.cpuMs - before.cpuMs) / elapsedMs) * 100,
        loopDelay: { p50: after.loop.p50, p99: after.loop.p99, max: after.loop.max },
      },
      loadGenerator: { cpuPercent: ((clientCpuUsed.user + clientCpuUsed.system) / 1000 / elapsedMs) * 100 },
    };
  } finally {
    http.close();
  }
}
