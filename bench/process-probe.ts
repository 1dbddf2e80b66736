import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a server process reports about itself without disturbing it: no collection. */
export interface ProcessUsage {
  /** Event-loop delay since the last `loop-reset`, in milliseconds. */
  loop: { p50: number; p99: number; max: number; mean: number };
  /** CPU time used since the process started, in milliseconds (user + system). */
  cpuMs: number;
}

/** What a server process reports about itself to the bench, over IPC. */
export interface ProcessStats extends ProcessUsage {
  /** process.memoryUsage() after full garbage collections, in bytes. */
  memory: NodeJS.MemoryUsage;
}

export type ProbeCommand = 'stats' | 'usage' | 'loop-reset' | 'stop';

export interface ProbeRequest {
  id: number;
  command: ProbeCommand;
}

export interface ProbeReply {
  id: number;
  stats?: ProcessStats;
  usage?: ProcessUsage;
  error?: string;
}

/** A server process's first message: it listens at `url`. */
export interface ReadyMessage {
  ready: true;
  url: string;
}

const LOOP_RESOLUTION_MS = 10;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Three full collections with a pause between them, so weak callbacks and finalizers run
 * and what they release is collected too: "after GC" then means the garbage is gone.
 */
async function collect(): Promise<void> {
  if (!gc) throw new Error('start the server process with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
}

/**
 * Answers the bench's questions in a server process: memory after GC, event-loop delay,
 * CPU time (`usage` without the collections, whose own CPU would land in the next window
 * measured); and stops the server cleanly (so --cpu-prof can write its profile).
 */
export function serveProbe(url: string, stop: () => Promise<void>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a bench server process must be started with an IPC channel');
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  // The histogram holds the time between the sampling timer's runs: delay is what exceeds the period.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

  const usage = (): ProcessUsage => {
    const cpu = process.cpuUsage();
    return {
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };

  const answer = async (request: ProbeRequest): Promise<ProbeReply> => {
    switch (request.command) {
      case 'loop-reset':
        loop.reset();
        return { id: request.id };
      case 'usage':
        return { id: request.id, usage: usage() };
      case 'stats': {
        // Delay and CPU are read before the collections below, which would add to both.
        const before = usage();
        await collect();
        return { id: request.id, stats: { ...before, memory: process.memoryUsage() } };
      }
      case 'stop':
        loop.disable();
        await stop();
        return { id: request.id };
    }
  };

  process.on('message', (request: ProbeRequest) => {
    answer(request)
      .catch((error: unknown) => ({ id: request.id, error: String(error) }))
      .then((reply) => {
        // Exit once the reply is out: a library's handle must not keep a stopped server alive.
        send(reply, undefined, {}, () => request.command === 'stop' && process.exit(0));
      });
  });
  send({ ready: true, url } satisfies ReadyMessage);
}
