import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** `npm start`'s entry point (or `npm run simulator`'s: 'simulator-main.ts') as a real process, its output collected. */
export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the server's loopback URL once it logged "ready". */
  ready(timeoutMs?: number): Promise<string>;
}

export function startServerProcess(env: Record<string, string>, entry = 'main.ts'): ServerProcess {
  // One process, tsx as a loader: the tsx CLI runs the server in a child of its own, which
  // a SIGKILL of the CLI would leave running, holding its port and our pipes.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async ready(timeoutMs = 60_000) {
      await until(() => output.includes('ready at') || child.exitCode !== null, timeoutMs);
      const line = output.split('\n').find((entry) => entry.includes('ready at'));
      if (!line) throw new Error(`the server did not start:\n${output}`);
      return JSON.parse(line).listening as string;
    },
  };
}

export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A loopback port nobody listens on now: for a process whose URL others need before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}
