import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../server/core/clock';
import { StoreUnavailable } from '../../../server/errors';
import type { OidcAdapterClass } from '../../../server/oidc/oidc-adapter';
import { redisOidcAdapter } from '../../../server/oidc/redis-oidc-adapter';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { deleteKeys, describeWithRedis, openTestRedis, PrivateRedis, uniquePrefix } from '../../support/redis';
import { describeOidcAdapterContract } from './oidc-adapter-contract';

// Each test gets its own prefix under this file's: the contract reuses ids.
const FILE_PREFIX = uniquePrefix();
let tests = 0;
const testPrefix = () => `${FILE_PREFIX}${++tests}:`;

describeWithRedis('redisOidcAdapter on the test Redis', () => {
  afterAll(async () => {
    const redis = await openTestRedis(FILE_PREFIX);
    await deleteKeys(redis, FILE_PREFIX);
    expect(await redis.client.keys(`${FILE_PREFIX}*`)).toEqual([]);
    await redis.close();
  });

  describeOidcAdapterContract('redisOidcAdapter', async (clock) => {
    const prefix = testPrefix();
    const connections = await Promise.all([openTestRedis(prefix), openTestRedis(prefix)]);
    return {
      Adapter: redisOidcAdapter(connections[0], clock),
      Peer: redisOidcAdapter(connections[1], clock),
      async cleanup() {
        await deleteKeys(connections[0], prefix);
        await Promise.all(connections.map((redis) => redis.close()));
      },
    };
  });

  describe('redisOidcAdapter', () => {
    const clock = new ManualClock();
    let prefix: string;
    let redis: RedisConnection;
    let Adapter: OidcAdapterClass;

    beforeEach(async () => {
      prefix = testPrefix();
      redis = await openTestRedis(prefix);
      Adapter = redisOidcAdapter(redis, clock);
    });

    afterEach(async () => {
      await deleteKeys(redis, prefix);
      await redis.close();
    });

    const ttl = (key: string) => redis.client.pTTL(`${prefix}oidc:${key}`);

    it('keeps each model as a hash under ${prefix}oidc:, its indexes beside it, all expiring with it', async () => {
      await new Adapter('Session').upsert('s1', { jti: 's1', uid: 'u1' }, 60);
      await new Adapter('DeviceCode').upsert('d1', { jti: 'd1', userCode: 'ABCD', grantId: 'g1' }, 600);
      expect((await redis.client.keys(`${prefix}*`)).sort()).toEqual(
        ['DeviceCode:d1', 'Session:s1', 'by-grant:g1', 'by-uid:Session:u1', 'by-user-code:DeviceCode:ABCD'].map(
          (key) => `${prefix}oidc:${key}`,
        ),
      );
      expect(await redis.client.hGetAll(`${prefix}oidc:Session:s1`)).toEqual({
        payload: JSON.stringify({ jti: 's1', uid: 'u1' }),
        expiresAt: String(clock.now() + 60_000),
        grantId: '',
      });
      for (const key of ['Session:s1', 'by-uid:Session:u1']) {
        expect(await ttl(key)).toBeGreaterThan(59_000);
        expect(await ttl(key)).toBeLessThanOrEqual(60_000);
      }
      expect(await ttl('by-user-code:DeviceCode:ABCD')).toBeGreaterThan(599_000);
    });

    it('keeps a grant index as long as its longest-lived member, and a Client for good', async () => {
      await new Adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 600);
      await new Adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 60);
      expect(await ttl('by-grant:g1')).toBeGreaterThan(599_000);
      expect(await redis.client.sMembers(`${prefix}oidc:by-grant:g1`)).toHaveLength(2);

      await new Adapter('Client').upsert('rp', { client_id: 'rp' });
      expect(await ttl('Client:rp')).toBe(-1);
    });

    it('lets no token of the grant outlive a revocation that raced its upsert without being in the index', async () => {
      const other = await openTestRedis(prefix);
      const Other = redisOidcAdapter(other, clock);
      try {
        const upserts = Array.from({ length: 100 }, (_, index) =>
          new (index % 2 ? Adapter : Other)('AccessToken').upsert(`a${index}`, { grantId: 'g1' }, 60),
        );
        await Promise.all([...upserts.slice(0, 50), new Other('AccessToken').revokeByGrantId('g1'), ...upserts.slice(50)]);
      } finally {
        await other.close();
      }

      const alive = (await redis.client.keys(`${prefix}oidc:AccessToken:*`)).sort();
      const indexed = (await redis.client.sMembers(`${prefix}oidc:by-grant:g1`)).sort();
      expect(alive).toEqual(indexed);
      await new Adapter('AccessToken').revokeByGrantId('g1');
      expect(await redis.client.keys(`${prefix}oidc:AccessToken:*`)).toEqual([]);
    });
  });
});

// A private redis-server, since this test stops it; run where the test Redis is, which has redis-server.
describeWithRedis('redisOidcAdapter while its Redis is away', () => {
  let server: PrivateRedis;
  let redis: RedisConnection;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = await openTestRedis('outage:', { url: server.url, commandTimeoutMs: 1_000 });
  });

  afterAll(async () => {
    await server?.remove();
    await redis?.close();
  });

  it('fails every call with StoreUnavailable (503), and serves again once Redis is back', async () => {
    const sessions = new (redisOidcAdapter(redis, new ManualClock()))('Session');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await server.stop();
    const calls = [
      () => sessions.find('s1'),
      () => sessions.findByUid('u1'),
      () => sessions.upsert('s2', {}, 60),
      () => sessions.consume('s1'),
      () => sessions.destroy('s1'),
      () => sessions.revokeByGrantId('g1'),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toBeInstanceOf(StoreUnavailable);
    }
    await expect(sessions.find('s1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });

    // A fresh redis-server: the scripts are loaded again by the adapter's first call.
    await server.start();
    const deadline = Date.now() + 10_000;
    while (!redis.client.isReady && Date.now() < deadline) await sleep(50);
    await sessions.upsert('s3', { uid: 'u3' }, 60);
    expect(await sessions.findByUid('u3')).toEqual({ uid: 'u3' });
  });
});
