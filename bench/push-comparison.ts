import type { BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { measurePushLatency } from './push-latency';
import type { Summary } from './summary';
import { WaitingPagesProcess } from './waiting-pages-process';

export interface PushServers {
  ours: BenchProcess;
  floor: BenchProcess;
  naive: BenchProcess;
}

/** Push latencies in ms: (a) from sending scan to the ws receiving `scanned`, (b) from sending confirm to the ws receiving the token. */
export interface PushLevel {
  /** Other pages waiting on their own tickets while the push is timed. */
  waiting: number;
  ours: { scan: Summary; confirm: Summary };
  floor: { scan: Summary };
  naive: { scan: Summary };
  /** Our scan push over the floor's: 1 would be free. */
  oursOverFloor: { p50: number; p99: number };
}

export interface PushOptions {
  levels: number[];
  samples: number;
  warmup: number;
}

/**
 * Ours, the floor and the naive baseline, measured by the same client in the same run: at
 * each level every server gets its waiting pages (each set in a process of its own), then
 * the scan pushes are timed one of each server in turn, so a moment of the machine's
 * (another process waking, the CPU's clock) lands on all three alike and the ratio holds
 * still from run to run; our confirm pushes follow, alone.
 */
export async function comparePush(servers: PushServers, options: PushOptions): Promise<PushLevel[]> {
  const levels = [...options.levels].sort((a, b) => a - b);
  const order = [servers.ours, servers.floor, servers.naive];
  const clients = order.map((server) => new HttpClient(server.url, 128));
  const routes = order.map((server, i) => ({ page: { url: server.url, http: clients[i] }, phone: clients[i] }));
  const waiting = await Promise.all(order.map((server) => WaitingPagesProcess.start(server.url)));
  try {
    const results: PushLevel[] = [];
    for (const level of levels) {
      await Promise.all(waiting.map((pages) => pages.grow(level)));
      const [scan, floorScan, naiveScan] = await measurePushLatency(routes, 'scan', options);
      const [confirm] = await measurePushLatency([routes[0]], 'confirm', options);
      results.push({
        waiting: level,
        ours: { scan, confirm },
        floor: { scan: floorScan },
        naive: { scan: naiveScan },
        oursOverFloor: { p50: scan.p50 / floorScan.p50, p99: scan.p99 / floorScan.p99 },
      });
    }
    return results;
  } finally {
    await Promise.all(waiting.map((pages) => pages.close()));
    for (const client of clients) client.close();
  }
}
