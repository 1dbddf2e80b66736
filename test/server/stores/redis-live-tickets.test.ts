import { ManualClock } from '../../../server/core/clock';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { noMetrics } from '../../../server/metrics/metrics';
import { RedisLiveTickets } from '../../../server/stores/redis-live-tickets';
import { liveTicketCapsContract, TTL } from '../limits/live-ticket-caps-contract';
import { deleteKeys, describeWithRedis, openTestRedis, PrivateRedis, uniquePrefix } from '../../support/redis';

describeWithRedis('RedisLiveTickets', () => {
  const connections: RedisConnection[] = [];
  const prefixes: string[] = [];
  /** Each case on a prefix of its own: a fresh, empty count. */
  async function open(): Promise<RedisConnection> {
    const prefix = uniquePrefix();
    const connection = await openTestRedis(prefix);
    connections.push(connection);
    prefixes.push(prefix);
    return connection;
  }
  afterAll(async () => {
    for (const [index, connection] of connections.entries()) {
      await deleteKeys(connection, prefixes[index]);
      await connection.close();
    }
  });

  liveTicketCapsContract(async (perKey, max, clock) => new RedisLiveTickets(await open(), perKey, max, TTL, clock));

  it('counts one cap across instances: 2 per client allow 2 in all, not 2 each', async () => {
    const a = await open();
    const b = await openTestRedis(a.prefix);
    connections.push(b);
    prefixes.push(a.prefix);
    const clock = new ManualClock(1_000_000);
    const onA = new RedisLiveTickets(a, 2, 0, TTL, clock);
    const onB = new RedisLiveTickets(b, 2, 0, TTL, clock);
    await onA.bind(await onA.reserve('client'), 'ticket-a');
    await onB.reserve('client');
    await expect(onA.reserve('client')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // The ticket made on A ends; B hears of it and frees A's place.
    await onB.release('ticket-a');
    await expect(onA.reserve('client')).resolves.toBeDefined();
  });

  it('lets only the cap through when instances race for the last places', async () => {
    const a = await open();
    const b = await openTestRedis(a.prefix);
    connections.push(b);
    prefixes.push(a.prefix);
    const clock = new ManualClock(1_000_000);
    const instances = [new RedisLiveTickets(a, 5, 0, TTL, clock), new RedisLiveTickets(b, 5, 0, TTL, clock)];
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => instances[i % 2].reserve('bot')));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
  });

  it('counts each refusal by the limit that refused', async () => {
    const hits: string[] = [];
    const metrics = { ...noMetrics, limitHit: (limit: string) => void hits.push(limit) };
    const live = new RedisLiveTickets(await open(), 0, 1, TTL, new ManualClock(1_000_000), metrics);
    await live.reserve('a');
    await expect(live.reserve('b')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(hits).toEqual(['live-tickets']);
  });

  it('sends no command at all while both caps are lifted', async () => {
    const redis = await open();
    const live = new RedisLiveTickets(redis, 0, 0, TTL, new ManualClock(1_000_000));
    await live.bind(await live.reserve('a'), 'ticket-1');
    await live.release('ticket-1');
    expect(await deleteKeys(redis, redis.prefix)).toBe(0);
  });

  it('keeps nothing after the lifetime: every key expires', async () => {
    const redis = await open();
    const live = new RedisLiveTickets(redis, 3, 10, 200, new ManualClock(Date.now()));
    await live.bind(await live.reserve('a'), 'ticket-1');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await deleteKeys(redis, redis.prefix)).toBe(0);
  });

  it('answers STORE_UNAVAILABLE while its Redis is away', async () => {
    const server = await PrivateRedis.start();
    const prefix = uniquePrefix();
    const redis = await openTestRedis(prefix, { url: server.url });
    try {
      const live = new RedisLiveTickets(redis, 1, 1, TTL, new ManualClock(1_000_000));
      await server.stop();
      await expect(live.reserve('a')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await redis.close();
      await server.remove();
    }
  });
});
