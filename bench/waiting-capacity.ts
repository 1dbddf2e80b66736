import type { BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { WaitingBrowsers } from './waiting-browsers';

export interface WaitingResult {
  browsers: number;
  /** From the first ticket to the last `pending` snapshot. */
  secondsToReach: number;
  /** Each waiting page's cost on the server, after GC, minus the idle baseline, in bytes. */
  perBrowser: { rss: number; heapUsed: number; external: number };
  /** The server after GC: idle (warmed up), then with every page waiting, in bytes. */
  server: { idle: MemoryFigures; waiting: MemoryFigures };
  /** The server's event-loop delay while the pages wait, ms. */
  loopDelay: { p50: number; p99: number; max: number };
}

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
}

const WARMUP_BROWSERS = 100;

function figures(memory: NodeJS.MemoryUsage): MemoryFigures {
  return { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external };
}

/**
 * Opens `count` waiting pages against `server` and reports what they cost it. A hundred
 * pages come and go first, so the baseline already holds the code they load on first use.
 */
export async function measureWaiting(server: BenchProcess, count: number, idleSeconds: number): Promise<WaitingResult> {
  const http = new HttpClient(server.url, 128);
  const browsers = new WaitingBrowsers(server.url, http);
  try {
    await browsers.grow(Math.min(WARMUP_BROWSERS, count));
    browsers.close();
    const idle = figures((await server.stats()).memory);

    const started = performance.now();
    await browsers.grow(count);
    const secondsToReach = (performance.now() - started) / 1000;

    await server.resetLoopDelay();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const stats = await server.stats();
    const waiting = figures(stats.memory);
    const per = (key: keyof MemoryFigures) => (waiting[key] - idle[key]) / count;
    return {
      browsers: count,
      secondsToReach,
      perBrowser: { rss: per('rss'), heapUsed: per('heapUsed'), external: per('external') },
      server: { idle, waiting },
      loopDelay: { p50: stats.loop.p50, p99: stats.loop.p99, max: stats.loop.max },
    };
  } finally {
    browsers.close();
    http.close();
  }
}
