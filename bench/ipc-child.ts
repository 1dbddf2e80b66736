import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 30_000;

/** Every answer of a child names the request it answers, and says `error` when it failed. */
export interface IpcReply {
  id: number;
  error?: string;
}

/**
 * A bench process of its own (a server, the waiting pages), asked things over IPC: each
 * request gets an id, and its answer comes back with the same id. Its first message says
 * it is ready.
 */
export class IpcChild<Reply extends IpcReply> {
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`${name}: ${reply.error}`));
      else waiter?.resolve(reply);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with ${code}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  /**
   * Starts `bench/<script>` under tsx's CommonJS hook (rather than `--import tsx`: no loader
   * thread, a quarter less start-up, one profile) and resolves with it and its first message.
   */
  static start<Reply extends IpcReply, Ready>(
    name: string,
    script: string,
    args: string[],
    execArgv: string[] = [],
  ): Promise<{ child: IpcChild<Reply>; ready: Ready }> {
    const child = fork(join(__dirname, script), args, {
      cwd: ROOT,
      execArgv: [...execArgv, '--require', 'tsx/cjs'],
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
      child.once('message', (ready: Ready) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child: new IpcChild<Reply>(name, child), ready });
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `{id, ...request}`; resolves with the answer, rejects with its error or the process's exit. */
  request(request: object): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...request });
    });
  }

  /** Closes the IPC channel: the child's cue to end. */
  disconnect(): void {
    this.child.disconnect();
  }
}
