import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Pages waiting on one server, held by a process of their own (waiting-pages-main.ts).
 * Out of the timing client's process, thousands of idle sockets cost its event loop
 * nothing; and each server's pages in their own process let the push phase time ours, the
 * floor and the naive baseline in turn at the same level, under one file-descriptor limit each.
 */
export class WaitingPagesProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', ({ id, error }: { id: number; error?: string }) => {
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (error) waiter?.reject(new Error(`waiting pages: ${error}`));
      else waiter?.resolve();
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`waiting pages exited with ${code}`));
      this.pending.clear();
    });
  }

  static start(serverUrl: string): Promise<WaitingPagesProcess> {
    const child = fork(join(__dirname, 'waiting-pages-main.ts'), [serverUrl], {
      cwd: ROOT,
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`waiting pages exited with ${code} before they were ready`)));
      child.once('message', () => {
        child.removeAllListeners('exit');
        resolve(new WaitingPagesProcess(child));
      });
    });
  }

  /** Opens pages until `total` wait, each with its `pending` snapshot. */
  grow(total: number): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, total });
    });
  }

  /** Drops the pages, as when browsers are killed, and waits for the process to end. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
