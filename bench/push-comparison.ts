import type { BenchProcess } from './bench-process';
import { HttpClient } from './http-client';
import { measurePushLatency, PushKind } from './push-latency';
import type { Summary } from './summary';
import { WaitingBrowsers } from './waiting-browsers';

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

/** Push latency of one server at each level of waiting pages, the pages opened as the level rises. */
async function latencyByLevel(server: BenchProcess, kinds: PushKind[], options: PushOptions): Promise<Map<PushKind, Summary>[]> {
  const http = new HttpClient(server.url, 128);
  const waiting = new WaitingBrowsers(server.url, http);
  const results: Map<PushKind, Summary>[] = [];
  try {
    for (const level of options.levels) {
      await waiting.grow(level);
      const byKind = new Map<PushKind, Summary>();
      const route = { page: { url: server.url, http }, phone: http };
      for (const kind of kinds) {
        const [summary] = await measurePushLatency([route], kind, options);
        byKind.set(kind, summary);
      }
      results.push(byKind);
    }
    return results;
  } finally {
    waiting.close();
    http.close();
  }
}

/** Ours, the floor and the naive baseline, measured by the same client in the same run. */
export async function comparePush(servers: PushServers, options: PushOptions): Promise<PushLevel[]> {
  const levels = [...options.levels].sort((a, b) => a - b);
  const sorted = { ...options, levels };
  const ours = await latencyByLevel(servers.ours, ['scan', 'confirm'], sorted);
  const floor = await latencyByLevel(servers.floor, ['scan'], sorted);
  const naive = await latencyByLevel(servers.naive, ['scan'], sorted);
  return levels.map((waiting, i) => {
    const scan = ours[i].get('scan')!;
    const floorScan = floor[i].get('scan')!;
    return {
      waiting,
      ours: { scan, confirm: ours[i].get('confirm')! },
      floor: { scan: floorScan },
      naive: { scan: naive[i].get('scan')! },
      oursOverFloor: { p50: scan.p50 / floorScan.p50, p99: scan.p99 / floorScan.p99 },
    };
  });
}
