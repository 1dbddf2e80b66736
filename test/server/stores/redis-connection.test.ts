import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { ErrorReply } from 'redis';
import { StoreUnavailable } from '../../../server/errors';
import { asStoreError, luaScript, reconnectDelay, RedisConnection } from '../../../server/stores/redis-connection';
import { deleteKeys, describeWithRedis, openTestRedis, PrivateRedis, TEST_REDIS_URL, uniquePrefix } from '../../support/redis';

/** A logger whose lines the test reads. */
function capturedLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

function withDatabase(url: string, database: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

describe('reconnectDelay', () => {
  it('doubles from 100 ms and stays at 5 s however long Redis is away', () => {
    expect([0, 1, 2, 5, 6, 50, 5_000].map(reconnectDelay)).toEqual([100, 200, 400, 3_200, 5_000, 5_000, 5_000]);
  });
});

describe('asStoreError', () => {
  it.each([
    ['a lost connection', new Error('Socket closed unexpectedly')],
    ['a Redis still loading its data', new ErrorReply('LOADING Redis is loading the dataset in memory')],
    ['a replica after failover', new ErrorReply("READONLY You can't write against a read only replica.")],
  ])('makes %s StoreUnavailable, keeping it as the cause', (_, error) => {
    const mapped = asStoreError(error);
    expect(mapped).toBeInstanceOf(StoreUnavailable);
    expect((mapped as Error).cause).toBe(error);
  });

  it('leaves a reply that refuses the command itself as it is: a bug, not an outage', () => {
    const error = new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(asStoreError(error)).toBe(error);
  });
});

describeWithRedis('RedisConnection', () => {
  const prefix = uniquePrefix();
  let server: PrivateRedis;

  beforeAll(async () => {
    server = await PrivateRedis.start();
  });

  afterAll(async () => {
    await server?.remove();
  });

  it('works in the database its URL names, and only there', async () => {
    const [seven, eight] = await Promise.all([
      openTestRedis(prefix, { url: withDatabase(TEST_REDIS_URL, 7) }),
      openTestRedis(prefix, { url: withDatabase(TEST_REDIS_URL, 8) }),
    ]);
    try {
      await seven.client.set(`${prefix}probe`, 'in 7');
      expect(await seven.client.get(`${prefix}probe`)).toBe('in 7');
      expect(await eight.client.get(`${prefix}probe`)).toBeNull();
    } finally {
      await deleteKeys(seven, prefix);
      await Promise.all([seven.close(), eight.close()]);
    }
  });

  it('selects its database again after reconnecting, logging the lost connection instead of throwing it', async () => {
    const { log, lines } = capturedLog();
    const redis = await RedisConnection.open({ url: `${server.url}/3`, prefix, log });
    try {
      await server.stop();
      await server.start();
      const deadline = Date.now() + 10_000;
      while (!redis.client.isReady && Date.now() < deadline) await sleep(50);
      expect((await redis.client.clientInfo()).db).toBe(3);
      expect(lines.join('')).toContain('redis connection failed; retrying');
    } finally {
      await redis.close();
    }
  });

  it('fails to open, as StoreUnavailable, when Redis stays away; its log names the server but not the password', async () => {
    const { log, lines } = capturedLog();
    await server.stop();
    const started = Date.now();
    try {
      const url = `redis://scan:s3cret-pass@127.0.0.1:${server.port}/2`;
      await expect(RedisConnection.open({ url, prefix, log, connectTimeoutMs: 300 })).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(lines.join('')).toContain(`127.0.0.1:${server.port}/2`);
      expect(lines.join('')).not.toContain('s3cret-pass');
    } finally {
      await server.start();
    }
  });

  it('sends a script Redis does not know, then runs it by its SHA-1', async () => {
    const redis = await openTestRedis(prefix, { url: server.url });
    const echo = luaScript("return 'echo:' .. KEYS[1] .. ':' .. ARGV[1]");
    try {
      // Only on the private server: SCRIPT FLUSH would empty the shared Redis's cache for everyone.
      await redis.client.scriptFlush();
      expect(await redis.run(echo, ['k'], ['a'])).toBe('echo:k:a');
      expect(await redis.client.scriptExists(echo.sha1)).toEqual([1]);
      expect(await redis.run(echo, ['k'], ['b'])).toBe('echo:k:b');
    } finally {
      await redis.close();
    }
  });

  it('passes a refused command on as the reply it is', async () => {
    const redis = await openTestRedis(prefix, { url: server.url });
    try {
      await redis.client.set(`${prefix}text`, 'not a hash');
      await expect(redis.call((client) => client.hGet(`${prefix}text`, 'field'))).rejects.toBeInstanceOf(ErrorReply);
    } finally {
      await redis.close();
    }
  });

  it('keeps the deadline in call() alone, with no timer per command inside node-redis', async () => {
    const redis = await openTestRedis(prefix, { url: server.url });
    const timers = jest.spyOn(AbortSignal, 'timeout');
    try {
      await redis.call((client) => client.get(`${prefix}nothing`));
      expect(timers).not.toHaveBeenCalled();
    } finally {
      timers.mockRestore();
      await redis.close();
    }
  });

  it('gives up a command, and closes, each within the command timeout while Redis hangs', async () => {
    const redis = await openTestRedis(prefix, { url: server.url, commandTimeoutMs: 300 });
    server.pause();
    try {
      const started = Date.now();
      await expect(redis.call((client) => client.ping())).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      // The PING given up on still waits for its answer inside node-redis: closing must not.
      await redis.close();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(redis.client.isOpen).toBe(false);
    } finally {
      server.resume();
    }
  });

  it('closes, and closing again is harmless', async () => {
    const redis = await openTestRedis(prefix, { url: server.url });
    await redis.close();
    expect(redis.client.isOpen).toBe(false);
    await expect(redis.close()).resolves.toBeUndefined();
  });
});
