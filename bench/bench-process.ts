import { IpcChild } from './ipc-child';
import type { ProbeCommand, ProbeReply, ProcessStats, ProcessUsage, ReadyMessage } from './process-probe';

export interface BenchProcessOptions {
  /** Arguments after the script. */
  args?: string[];
  /** Write a V8 CPU profile into this directory when the process stops (node --cpu-prof). */
  cpuProfileDir?: string;
}

/**
 * A server the bench measures, in its own process (its own event loop, heap and file
 * descriptors), talked to over IPC: process-probe.ts on the other side.
 */
export class BenchProcess {
  private stopping?: Promise<void>;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: IpcChild<ProbeReply>,
  ) {}

  /** Starts `bench/<script>` with --expose-gc and resolves once it listens. */
  static async start(name: string, script: string, options: BenchProcessOptions = {}): Promise<BenchProcess> {
    const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
    const { child, ready } = await IpcChild.start<ProbeReply, ReadyMessage>(name, script, options.args ?? [], [
      '--expose-gc',
      ...profile,
    ]);
    return new BenchProcess(name, ready.url, child);
  }

  /** Memory after GC, event-loop delay since the last reset, CPU time. */
  async stats(): Promise<ProcessStats> {
    const reply = await this.call('stats');
    if (!reply.stats) throw new Error(`${this.name} sent no stats`);
    return reply.stats;
  }

  /** CPU time and event-loop delay, without the collections of `stats`. */
  async usage(): Promise<ProcessUsage> {
    const reply = await this.call('usage');
    if (!reply.usage) throw new Error(`${this.name} sent no usage`);
    return reply.usage;
  }

  async resetLoopDelay(): Promise<void> {
    await this.call('loop-reset');
  }

  /** Closes the server and waits for the process to exit (and write its profile). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.child.running ? this.stopNow() : Promise.resolve();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    await this.call('stop');
    await this.child.exited;
  }

  private call(command: ProbeCommand): Promise<ProbeReply> {
    return this.child.request({ command });
  }
}

/** Processes started side by side: all of them, or, if any fails to start, none left running. */
export async function allStarted(starts: Promise<BenchProcess>[]): Promise<BenchProcess[]> {
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (!failed) return started;
  await Promise.all(started.map((child) => child.stop()));
  throw failed.reason;
}
