import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../server/core/clock';
import type { Ticket } from '../../../server/core/ticket';
import { StoreUnavailable } from '../../../server/errors';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { RedisTicketStore } from '../../../server/stores/redis-ticket-store';
import { deleteKeys, describeWithRedis, openTestRedis, PrivateRedis, uniquePrefix } from '../../support/redis';
import { until } from '../../support/server-process';
import { describeSharedTicketStoreContract } from './shared-ticket-store-contract';
import { describeTicketStoreContract, pendingTicket } from './ticket-store-contract';

// Each test gets its own prefix under this file's: the contract reuses ticket ids.
const FILE_PREFIX = uniquePrefix();
let tests = 0;
const testPrefix = () => `${FILE_PREFIX}${++tests}:`;

describeWithRedis('RedisTicketStore on the test Redis', () => {
  afterAll(async () => {
    // Whatever a failing test left behind; the shared Redis keeps nothing of ours.
    const redis = await openTestRedis(FILE_PREFIX);
    await deleteKeys(redis, FILE_PREFIX);
    expect(await redis.client.keys(`${FILE_PREFIX}*`)).toEqual([]);
    await redis.close();
  });

  describeTicketStoreContract('RedisTicketStore', async (clock) => {
    const prefix = testPrefix();
    const redis = await openTestRedis(prefix);
    return {
      store: new RedisTicketStore(redis, clock),
      cleanup: async () => {
        await deleteKeys(redis, prefix);
        await redis.close();
      },
    };
  });

  describeSharedTicketStoreContract('RedisTicketStore', async (clock) => {
    const prefix = testPrefix();
    const connections = await Promise.all([openTestRedis(prefix), openTestRedis(prefix)]);
    return {
      stores: [new RedisTicketStore(connections[0], clock), new RedisTicketStore(connections[1], clock)],
      cleanup: async () => {
        await deleteKeys(connections[0], prefix);
        await Promise.all(connections.map((redis) => redis.close()));
      },
    };
  });

  describe('RedisTicketStore', () => {
    const clock = new ManualClock();
    let prefix: string;
    let redis: RedisConnection;
    let store: RedisTicketStore;

    beforeEach(async () => {
      prefix = testPrefix();
      redis = await openTestRedis(prefix);
      store = new RedisTicketStore(redis, clock);
    });

    afterEach(async () => {
      await store.close();
      await deleteKeys(redis, prefix);
      await redis.close();
    });

    it('keeps a ticket as one hash under the prefix, expiring when its retention ends', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 60_000);
      const key = `${prefix}ticket:${ticket.id}`;
      expect(await redis.client.keys(`${prefix}*`)).toEqual([key]);
      expect(await redis.client.hGetAll(key)).toEqual({
        version: '0',
        retainUntil: String(clock.now() + 60_000),
        ticket: JSON.stringify(ticket),
        status: 'pending',
      });
      const ttl = await redis.client.pTTL(key);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it('sets the expiry again with every write', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 60_000);
      await store.compareAndSet({ ...ticket, state: 'cancelled', version: 1 }, 0, clock.now() + 5_000);
      expect(await redis.client.pTTL(`${prefix}ticket:${ticket.id}`)).toBeLessThanOrEqual(5_000);
    });

    it('leaves it to Redis to delete a ticket whose retention is over', async () => {
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 50);
      await sleep(150);
      expect(await redis.client.exists(`${prefix}ticket:${ticket.id}`)).toBe(0);
    });

    it('refuses a write to a ticket past its retention by its clock that Redis has not deleted yet', async () => {
      const late = new ManualClock(clock.now() + 1_000);
      const ticket = pendingTicket(clock);
      await store.create(ticket, clock.now() + 1_000);
      const written = await new RedisTicketStore(redis, late).compareAndSet({ ...ticket, version: 1 }, 0, late.now() + 5_000);
      expect(written).toBe(false);
      expect(await redis.client.exists(`${prefix}ticket:${ticket.id}`)).toBe(1);
    });

    it('announces a new status on the bus channel in the step that writes it, and nothing for a write that keeps it', async () => {
      const listener = redis.client.duplicate();
      await listener.connect();
      const heard: string[] = [];
      await listener.subscribe(`${prefix}ticket-events`, (message) => heard.push(message));
      try {
        const announcing = new RedisTicketStore(redis, clock, { announceChanges: true });
        const ticket = pendingTicket(clock);
        const retain = clock.now() + 60_000;
        await announcing.create(ticket, retain);
        const scanned: Ticket = { ...ticket, state: 'scanned', version: 1 };
        await announcing.compareAndSet(scanned, 0, retain);
        await announcing.compareAndSet({ ...scanned, version: 2, confirming: { by: 'x', until: retain } }, 1, retain);
        expect(await announcing.compareAndSet({ ...scanned, state: 'cancelled', version: 9 }, 0, retain)).toBe(false);
        await announcing.compareAndSet({ ...scanned, state: 'cancelled', version: 3 }, 2, retain);
        await store.compareAndSet({ ...scanned, state: 'cancelled', version: 4 }, 3, retain);
        await until(() => heard.length >= 2, 5000);
        await sleep(50);
        expect(heard.map((message) => JSON.parse(message))).toEqual([
          { ticketId: ticket.id, status: 'scanned' },
          { ticketId: ticket.id, status: 'cancelled' },
        ]);
      } finally {
        await listener.quit();
      }
    });

    it('leaves the shared connection open when it closes', async () => {
      await store.close();
      expect(redis.client.isReady).toBe(true);
    });
  });
});

// A private redis-server, since these tests stop it; run where the test Redis is, which has redis-server.
describeWithRedis('RedisTicketStore while its Redis is away', () => {
  const clock = new ManualClock();
  const ticket: Ticket = pendingTicket(clock);
  let server: PrivateRedis;
  let redis: RedisConnection;
  let store: RedisTicketStore;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = await openTestRedis('outage:', { url: server.url, commandTimeoutMs: 1_000 });
    store = new RedisTicketStore(redis, clock);
    await store.create(ticket, clock.now() + 60_000);
  });

  afterAll(async () => {
    // The server first: a test that failed while it was paused must not leave it frozen.
    await server?.remove();
    await redis?.close();
  });

  /** How the call failed and how long it took. */
  async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = Date.now();
    const error = await call().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return { error, ms: Date.now() - started };
  }

  it('answers StoreUnavailable at once while Redis is down, replays nothing, and serves again once it is back', async () => {
    await server.stop();
    const other = pendingTicket(clock, 'CCCCCCCCCCCCCCCCCCCCCC');
    const calls = [
      () => store.get(ticket.id),
      () => store.compareAndSet({ ...ticket, version: 1 }, 0, clock.now() + 60_000),
      () => store.create(other, clock.now() + 60_000),
    ];
    for (const call of calls) {
      const { error, ms } = await failure(call);
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
      // Well under the command timeout: nothing waited for Redis to come back.
      expect(ms).toBeLessThan(500);
    }

    // A fresh redis-server: the tickets and the cached scripts went with the old one.
    await server.start();
    const deadline = Date.now() + 10_000;
    while (!redis.client.isReady && Date.now() < deadline) await sleep(50);
    expect(redis.client.isReady).toBe(true);
    // The create refused while Redis was down did not run later behind its caller's back.
    expect(await store.get(other.id)).toBeUndefined();
    await store.create(ticket, clock.now() + 60_000);
    expect(await store.compareAndSet({ ...ticket, state: 'scanned', version: 1 }, 0, clock.now() + 60_000)).toBe(true);
    expect((await store.get(ticket.id))?.state).toBe('scanned');
  });

  it('answers StoreUnavailable after the command timeout while Redis hangs, and serves again once it answers', async () => {
    server.pause();
    try {
      const { error, ms } = await failure(() => store.get(ticket.id));
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(3_000);
    } finally {
      server.resume();
    }
    // The late answer to the abandoned command is not taken for this one's.
    expect((await store.get(ticket.id))?.state).toBe('scanned');
  });
});
