import { join } from 'node:path';
import { systemClock } from '../../../server/core/clock';
import { RedisRefreshLock } from '../../../server/stores/redis-refresh-lock';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { openSqlite, type SqliteDatabase } from '../../../server/stores/sqlite-database';
import { SqliteAccessTokenStore } from '../../../server/stores/sqlite-access-token-store';
import { AccessToken } from '../../../server/wechat/access-token';
import type { RefreshLock } from '../../../server/wechat/refresh-lock';
import { deleteKeys, describeWithRedis, openTestRedis, uniquePrefix } from '../../support/redis';
import { tempDir } from '../../support/temp-dir';

/** stable_token as a counter: each call takes a while and returns a new token. */
function countingFetch() {
  const fetch = Object.assign(
    async () => {
      fetch.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { token: `token-${fetch.calls}`, expiresAt: Date.now() + 7_200_000 };
    },
    { calls: 0 },
  );
  return fetch;
}

describe('AccessToken', () => {
  let dir: ReturnType<typeof tempDir>;
  let dbs: SqliteDatabase[];

  beforeEach(() => {
    dir = tempDir();
    dbs = [];
  });

  afterEach(() => {
    for (const db of dbs) db.close();
    dir.remove();
  });

  /** An instance's token: its own connection to the one shared store file. */
  function instance(fetch: ReturnType<typeof countingFetch>, lock?: RefreshLock): AccessToken {
    const db = openSqlite(join(dir.path, 'shared.db'));
    dbs.push(db);
    return new AccessToken('wx-app', fetch, new SqliteAccessTokenStore(db), systemClock, lock);
  }

  it('fetches once for 50 concurrent callers of one instance, and not again while the token is fresh', async () => {
    const fetch = countingFetch();
    const token = instance(fetch);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => token.get()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    await token.get();
    expect(fetch.calls).toBe(1);
  });

  it('fetches once per instance without a lock: what the lock is for', async () => {
    const fetch = countingFetch();
    const [a, b] = [instance(fetch), instance(fetch)];
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).get()));
    expect(fetch.calls).toBe(2);
  });

  describeWithRedis('across instances with a Redis lock', () => {
    const prefix = uniquePrefix();
    let redis: RedisConnection;

    beforeAll(async () => {
      redis = await openTestRedis(prefix);
    });

    afterAll(async () => {
      await deleteKeys(redis, prefix);
      await redis.close();
    });

    it('makes one stable_token call for 50 concurrent misses spread over two instances', async () => {
      const fetch = countingFetch();
      const lock = new RedisRefreshLock(redis);
      const [a, b] = [instance(fetch, lock), instance(fetch, lock)];
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).get()));
      expect(fetch.calls).toBe(1);
      expect(new Set(tokens)).toEqual(new Set(['token-1']));
    });

    it('takes over a lock whose holder died, once it lapses', async () => {
      const lock = new RedisRefreshLock(redis);
      const held = await lock.tryAcquire('access-token:wx-app', 300);
      expect(held).toEqual(expect.any(String));
      expect(await lock.tryAcquire('access-token:wx-app', 300)).toBeUndefined();
      const fetch = countingFetch();
      const started = Date.now();
      expect(await instance(fetch, lock).get()).toBe('token-1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('lets a holder release only its own lock', async () => {
      const lock = new RedisRefreshLock(redis);
      const owner = (await lock.tryAcquire('x', 10_000))!;
      await lock.release('x', 'someone-else');
      expect(await lock.tryAcquire('x', 10_000)).toBeUndefined();
      await lock.release('x', owner);
      expect(await lock.tryAcquire('x', 10_000)).toEqual(expect.any(String));
    });
  });
});
