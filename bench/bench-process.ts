import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeCommand, ProbeReply, ProcessStats, ProcessUsage, ReadyMessage } from './process-probe';

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 30_000;

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
  private nextId = 1;
  private stopping?: Promise<void>;
  private readonly pending = new Map<number, { resolve: (reply: ProbeReply) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: ProbeReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`${name}: ${reply.error}`));
      else waiter?.resolve(reply);
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  /**
   * Starts `bench/<script>` with --expose-gc and resolves once it listens. tsx's CommonJS
   * hook rather than `--import tsx`: no loader thread, a quarter less start-up, one profile.
   */
  static start(name: string, script: string, options: BenchProcessOptions = {}): Promise<BenchProcess> {
    const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
    const child = fork(join(__dirname, script), options.args ?? [], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--require', 'tsx/cjs', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill();
        reject(error);
      };
      child.once('exit', (code) => fail(new Error(`${name} exited with ${code} before it was ready`)));
      child.once('message', (message: ReadyMessage) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new BenchProcess(name, message.url, child));
      });
    });
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
    this.stopping ??= this.child.exitCode !== null ? Promise.resolve() : this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call('stop');
    await exited;
  }

  private call(command: ProbeCommand): Promise<ProbeReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
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
