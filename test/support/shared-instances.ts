import type { RunningSimulator } from '../../server/wechat/simulator/simulator-server';
import { deleteKeys, openTestRedis, TEST_REDIS_URL, uniquePrefix } from './redis';
import { startTestServer, startTestSimulator, type TestServer } from './test-server';

export interface SharedInstances {
  a: TestServer;
  b: TestServer;
  /** The one WeChat both talk to (npm run simulator). */
  wechat: RunningSimulator;
}

/**
 * Two instances on one Redis (a key prefix of their own, deleted after) and the suite's
 * PostgreSQL database, sharing one simulator: its hooks are registered here, so call it
 * inside describeWithRedis; the fields are set once beforeAll ran. `env` adds to both.
 */
export function sharedInstances(databaseUrl: () => string, env: Record<string, string> = {}): SharedInstances {
  const prefix = uniquePrefix();
  const instances = {} as SharedInstances;
  beforeAll(async () => {
    instances.wechat = await startTestSimulator();
    const shared = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DATABASE_URL: databaseUrl(),
      WECHAT_API_BASE: instances.wechat.apiBase,
      ...env,
    };
    instances.a = await startTestServer(shared);
    instances.b = await startTestServer(shared);
  });
  afterAll(async () => {
    await instances.a?.close();
    await instances.b?.close();
    await instances.wechat?.close();
    const redis = await openTestRedis(prefix);
    await deleteKeys(redis, prefix);
    await redis.close();
  });
  return instances;
}
