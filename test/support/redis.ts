import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import pino from 'pino';
import { RedisConnection, RedisConnectionOptions } from '../../server/stores/redis-connection';
import { neededService } from './needed-service';
import { freePort } from './server-process';
import { tempDir } from './temp-dir';

/**
 * Redis for tests. Store tests run against a real Redis (TEST_REDIS_URL, by default the
 * one at 127.0.0.1:6379), which other users share: every test file works under its own
 * key prefix and deletes its keys, never the database. Outage tests start a private
 * `redis-server` of their own instead, since they stop it.
 */

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const REDIS_HINT =
  `Redis is not reachable at ${TEST_REDIS_URL} (set TEST_REDIS_URL to use another); start one with: ` +
  'redis-server --daemonize yes --port 6379 --save "" --appendonly no';

// Describing is synchronous, so the check runs in a child process: can a TCP connection be made?
const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(1000, () => process.exit(1));
socket.on('error', () => process.exit(1));
socket.on('connect', () => process.exit(0));
`;

export function redisReachable(url = TEST_REDIS_URL): boolean {
  const { hostname, port } = new URL(url);
  return spawnSync(process.execPath, ['-e', PROBE, hostname, port || '6379'], { timeout: 5000 }).status === 0;
}

/** `describe` that needs the test Redis: failing when CI=true and it is away, skipped (saying why) otherwise. */
export function describeWithRedis(name: string, body: () => void): void {
  const skip = () => describe.skip(name, body);
  if (neededService(name, 'Redis', redisReachable() ? undefined : REDIS_HINT, skip)) describe(name, body);
}

/** A key prefix no other test file or user of the shared Redis has. */
export function uniquePrefix(): string {
  return `mp-scan-login-test:${randomBytes(6).toString('hex')}:`;
}

/** Logs to nowhere: connection failures are what outage tests provoke. */
export const silentLog = pino({ level: 'silent' });

export function openTestRedis(
  prefix: string,
  options: Partial<RedisConnectionOptions> = {},
): Promise<RedisConnection> {
  return RedisConnection.open({ url: TEST_REDIS_URL, prefix, log: silentLog, ...options });
}

/** Deletes the keys under `prefix` (and only those); returns how many there were. */
export async function deleteKeys(connection: RedisConnection, prefix: string): Promise<number> {
  let deleted = 0;
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  for await (const keys of connection.client.scanIterator({ MATCH: match, COUNT: 500 })) {
    if (keys.length > 0) deleted += await connection.client.unlink(keys);
  }
  return deleted;
}

/**
 * A `redis-server` of the test's own on a free port that it may stop and start again;
 * without persistence unless `persistent` (an fsync'd append-only file, as a production
 * Redis keeps: what was written before a stop is there after the start).
 */
export class PrivateRedis {
  private process: ChildProcess | undefined;
  private readonly dir = tempDir('mp-scan-login-redis-');

  private constructor(
    readonly port: number,
    private readonly persistent: boolean,
  ) {}

  static async start({ persistent = false } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), persistent);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port), resolving once it accepts connections. */
  async start(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence];
    const child = spawn('redis-server', [...args, '--dir', this.dir.path], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(`redis-server is not on PATH. ${REDIS_HINT}`) : error),
      );
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
    });
  }

  /** Stops it and waits until it has exited: its port then refuses connections. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  /** Freezes it (SIGSTOP): connections stay open but nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Stops it for good and removes its directory. */
  async remove(): Promise<void> {
    this.resume();
    await this.stop();
    this.dir.remove();
  }
}
