import { IpcChild, type IpcReply } from './ipc-child';

/**
 * Pages waiting on one server, held by a process of their own (waiting-pages-main.ts).
 * Out of the timing client's process, thousands of idle sockets cost its event loop
 * nothing; and each server's pages in their own process let the push phase time ours, the
 * floor and the naive baseline in turn at the same level, under one file-descriptor limit each.
 */
export class WaitingPagesProcess {
  private constructor(private readonly child: IpcChild<IpcReply>) {}

  static async start(serverUrl: string): Promise<WaitingPagesProcess> {
    const { child } = await IpcChild.start<IpcReply, unknown>('waiting pages', 'waiting-pages-main.ts', [serverUrl]);
    return new WaitingPagesProcess(child);
  }

  /** Opens pages until `total` wait, each with its `pending` snapshot. */
  async grow(total: number): Promise<void> {
    await this.child.request({ total });
  }

  /** Drops the pages, as when browsers are killed, and waits for the process to end. */
  async close(): Promise<void> {
    if (!this.child.running) return;
    this.child.disconnect();
    await this.child.exited;
  }
}
