import { createHash } from 'node:crypto';
import { types } from 'node:util';
import type { Logger } from 'pino';
import { createClient, ErrorReply, type RedisClientType } from 'redis';
import { StoreUnavailable } from '../errors';
import { noMetrics, stopwatch, type Metrics } from '../metrics/metrics';

export interface RedisConnectionOptions {
  /** `redis[s]://[user:password@]host[:port][/db]`; the database is selected again on every reconnect. */
  url: string;
  /** Starts every key (and channel) of this deployment, so several can share one Redis. */
  prefix: string;
  log: Logger;
  /** How long one connection attempt may take; also how long start-up waits for the first one. */
  connectTimeoutMs?: number;
  /** How long a command may wait for its answer before it fails as StoreUnavailable. */
  commandTimeoutMs?: number;
  /** Where each call's duration is recorded (store_seconds{store="redis"}); none by default. */
  metrics?: Metrics;
}

/** A Lua script, run by its SHA-1 (see RedisConnection.run). */
export interface LuaScript {
  source: string;
  sha1: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/** Commands sent and not answered yet; one instance's healthy load keeps a handful. */
const MAX_PENDING = 10_000;

// Replies that mean "not now" (still loading its data, busy with a script, a replica after
// failover) rather than "wrong command", which is a bug and must stay loud.
const NOT_NOW_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * 100 ms, 200 ms, 400 ms … then every 5 s, forever: a Redis that comes back is used again
 * without restarting the instance, and one that stays away costs one attempt per 5 s.
 */
export function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
}

/**
 * StoreUnavailable (503) for anything that is not Redis answering the command: refused,
 * reset, timed out, offline, closed; and for the replies that mean "not now". Any other
 * reply (a wrong type, a script error) as it is.
 */
export function asStoreError(error: unknown): unknown {
  // isNativeError too: a socket error from another realm (Jest's) is not `instanceof Error` here.
  if (!(error instanceof Error) && !types.isNativeError(error)) return error;
  if (error instanceof ErrorReply && !NOT_NOW_REPLY.test(error.message)) return error;
  const unavailable = new StoreUnavailable();
  unavailable.cause = error;
  return unavailable;
}

/**
 * One node-redis client for the stores of one instance, which share it; whoever opened it
 * closes it, after the stores.
 *
 * No command waits for Redis longer than `commandTimeoutMs`, so a request gets its 503 in
 * time whatever Redis does:
 * - while Redis is away a command fails at once instead of waiting in node-redis's offline
 *   queue (disabled), which would also replay, once Redis is back, a write its caller had
 *   long been told failed;
 * - a command sent to a Redis that hangs (or over a link that died silently) is given up
 *   by `call` at the deadline. It may still run later, written or not: commands leave in
 *   order on the one connection, so it runs before anything its caller did next, and every
 *   write is a compare-and-set that is right whenever it lands. node-redis's own per-command
 *   timeout would only stop an unwritten one, and its AbortSignal per command was about 6 %
 *   of an instance's CPU in `npm run bench -- --instances 2`;
 * - given-up commands wait for their answer inside node-redis, at most MAX_PENDING of them,
 *   beyond which commands fail at once too.
 */
export class RedisConnection {
  private constructor(
    readonly client: RedisClientType,
    readonly prefix: string,
    private readonly commandTimeoutMs: number,
    private readonly metrics: Metrics,
  ) {}

  /** Connects, or rejects with StoreUnavailable if the first connection fails within `connectTimeoutMs`. */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connectTimeout = options.connectTimeoutMs ?? 5_000;
    const commandTimeout = options.commandTimeoutMs ?? 2_000;
    const client: RedisClientType = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandsQueueMaxLength: MAX_PENDING,
      // Off (node-redis 6 defaults it to 5 s): `call` keeps the deadline, as said above.
      commandOptions: { timeout: 0 },
      socket: { connectTimeout, reconnectStrategy: reconnectDelay },
    });
    // Never the URL: it may carry the password.
    const redis = where(client);
    // Without an `error` listener node-redis throws the error, which ends the process.
    client.on('error', (err: Error) => options.log.warn({ redis, err }, 'redis connection failed; retrying'));
    client.on('ready', () => options.log.info({ redis }, 'redis connection ready'));

    const connecting = client.connect();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection to Redis within ${connectTimeout} ms`)), connectTimeout);
    });
    try {
      await Promise.race([connecting, timedOut]);
    } catch (error) {
      // Stops the retries; `connecting` then rejects too, which nobody needs to hear.
      connecting.catch(() => undefined);
      client.destroy();
      throw asStoreError(error);
    } finally {
      clearTimeout(timer);
    }
    return new RedisConnection(client, options.prefix, commandTimeout, options.metrics ?? noMetrics);
  }

  /**
   * Runs commands on the client, giving up at the command timeout; failures as asStoreError
   * says. Timed as `operation`, failures and timeouts included.
   */
  async call<T>(commands: (client: RedisClientType) => Promise<T>, operation = 'command'): Promise<T> {
    const elapsed = stopwatch();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const late = () => reject(new Error(`Redis did not answer within ${this.commandTimeoutMs} ms`));
      timer = setTimeout(late, this.commandTimeoutMs);
    });
    try {
      // The race keeps listening to the loser, so a late failure is not an unhandled rejection.
      return await Promise.race([commands(this.client), deadline]);
    } catch (error) {
      throw asStoreError(error);
    } finally {
      clearTimeout(timer);
      this.metrics.storeCall('redis', operation, elapsed());
    }
  }

  /**
   * Runs a script by its SHA-1, sending its source only when Redis does not know it yet (a
   * new or restarted Redis, or SCRIPT FLUSH): EVAL also caches it for the next EVALSHA.
   * This is what node-redis's defineScript does, without every script having to be
   * declared when the shared client is created.
   */
  run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return this.call(async (client) => {
      try {
        return await client.evalSha(script.sha1, { keys, arguments: args });
      } catch (error) {
        if (!(error instanceof ErrorReply && error.message.startsWith('NOSCRIPT'))) throw error;
        return client.eval(script.source, { keys, arguments: args });
      }
    }, 'script');
  }

  /**
   * Waits for answers still due, then disconnects; after the command timeout it drops them
   * (Redis may be hung: shutdown must not wait on it). Closing again is harmless.
   */
  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    const closing = this.client.close();
    const timer = setTimeout(() => this.client.destroy(), this.commandTimeoutMs);
    await closing;
    clearTimeout(timer);
  }
}

function where(client: RedisClientType): string {
  const { socket, database = 0 } = client.options ?? {};
  const address = socket && 'path' in socket ? socket.path : `${socket?.host ?? 'localhost'}:${socket?.port ?? 6379}`;
  return `${address}/${database}`;
}
