import { createServer } from 'node:net';
import { join } from 'node:path';
import { AppError } from '../../../server/errors';
import { SqliteAccessTokenStore } from '../../../server/stores/sqlite-access-token-store';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { WeChatClient, WeChatClientOptions } from '../../../server/wechat/wechat-client';
import { tempDir } from '../../support/temp-dir';
import { SimulatorHarness } from './simulator/simulator-harness';

const CODE = { scene: 'abcDEF123', page: 'pages/confirm/index', envVersion: 'release', checkPath: true, width: 430 } as const;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('WeChatClient', () => {
  let harness: SimulatorHarness;
  let dir: ReturnType<typeof tempDir>;
  let db: SqliteDatabase;
  let sleeps: number[];

  beforeEach(() => {
    harness = new SimulatorHarness();
    dir = tempDir();
    db = openSqlite(join(dir.path, 'test.db'));
    sleeps = [];
  });

  afterEach(async () => {
    await harness.close();
    db.close();
    dir.remove();
  });

  function client(options: Partial<WeChatClientOptions> = {}): Promise<WeChatClient> {
    return harness.client(new SqliteAccessTokenStore(db), { sleep: async (ms) => void sleeps.push(ms), ...options });
  }

  const calls = (api: 'stable_token' | 'getwxacodeunlimit' | 'jscode2session') => harness.simulator.callCount(api);

  describe('access token', () => {
    it('is fetched once for 50 concurrent callers', async () => {
      const wechat = await client();
      const tokens = await Promise.all(Array.from({ length: 50 }, () => wechat.accessToken.get()));
      expect(new Set(tokens).size).toBe(1);
      expect(calls('stable_token')).toBe(1);
    });

    it('survives a restart through the store instead of fetching again', async () => {
      const token = await (await client()).accessToken.get();
      expect(await (await client()).accessToken.get()).toBe(token);
      expect(calls('stable_token')).toBe(1);
    });

    it('is refreshed ahead of expiry, before WeChat would refuse it', async () => {
      const wechat = await client();
      const first = await wechat.accessToken.get();
      harness.clock.advance((7200 - 299) * 1000);
      const second = await wechat.accessToken.get();
      expect(second).not.toBe(first);
      expect(calls('stable_token')).toBe(2);
    });
  });

  describe('getUnlimitedCode', () => {
    it('returns the code image', async () => {
      const image = await (await client()).getUnlimitedCode(CODE);
      expect(image.contentType).toMatch(/^image\//);
      expect(image.image.subarray(1, 4).toString()).toBe('PNG');
    });

    it('fetches a fresh token once and retries once when the token was invalidated (40001)', async () => {
      const wechat = await client();
      await wechat.accessToken.get();
      await harness.stableToken(true); // someone else forced a refresh: our token is now dead
      await expect(wechat.getUnlimitedCode(CODE)).resolves.toBeDefined();
      expect(calls('stable_token')).toBe(3);
      expect(calls('getwxacodeunlimit')).toBe(2);
    });

    it('forces a refresh when WeChat rejects a token it still hands out', async () => {
      const wechat = await client();
      harness.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: 40001 });
      await expect(wechat.getUnlimitedCode(CODE)).resolves.toBeDefined();
      expect(calls('getwxacodeunlimit')).toBe(2);
    });

    it('gives up after one retry when the fresh token is refused too', async () => {
      const wechat = await client();
      harness.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: 42001, times: 5 });
      const error = await failure(wechat.getUnlimitedCode(CODE));
      expect({ code: error.code, status: error.status }).toEqual({ code: 'WECHAT_ERROR', status: 502 });
      expect(calls('getwxacodeunlimit')).toBe(2);
    });

    it('turns a JSON error body into a typed error carrying the errcode', async () => {
      const error = await failure((await client()).getUnlimitedCode({ ...CODE, page: 'pages/missing/index' }));
      expect(error).toMatchObject({ code: 'WECHAT_ERROR', status: 502, details: { wechatErrcode: 41030 } });
    });

    it('does not retry 45009: retrying is how quotas get burned', async () => {
      const wechat = await client();
      harness.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: 45009, times: 5 });
      const error = await failure(wechat.getUnlimitedCode(CODE));
      expect({ code: error.code, status: error.status }).toEqual({ code: 'WECHAT_QUOTA_EXCEEDED', status: 503 });
      expect(calls('getwxacodeunlimit')).toBe(1);
    });

    it('retries "system busy" (-1) with doubling back-off, a bounded number of times', async () => {
      const wechat = await client();
      harness.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: -1, times: 2 });
      await expect(wechat.getUnlimitedCode(CODE)).resolves.toBeDefined();
      expect(sleeps).toEqual([200, 400]);

      harness.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: -1, times: 10 });
      const error = await failure(wechat.getUnlimitedCode(CODE));
      expect({ code: error.code, status: error.status }).toEqual({ code: 'WECHAT_UNAVAILABLE', status: 503 });
      expect(calls('getwxacodeunlimit')).toBe(6);
    });

    it('turns a slow WeChat into a 503 WECHAT_TIMEOUT', async () => {
      const wechat = await client({ timeoutMs: 100 });
      await wechat.accessToken.get();
      harness.simulator.injectFault({ api: 'getwxacodeunlimit', delayMs: 400 });
      const error = await failure(wechat.getUnlimitedCode(CODE));
      expect({ code: error.code, status: error.status }).toEqual({ code: 'WECHAT_TIMEOUT', status: 503 });
    });

    it('turns an unreachable WeChat into a 503 WECHAT_UNAVAILABLE', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });
      const wechat = await client({ baseUrl: `http://127.0.0.1:${closedPort}` });
      const error = await failure(wechat.getUnlimitedCode(CODE));
      expect({ code: error.code, status: error.status }).toEqual({ code: 'WECHAT_UNAVAILABLE', status: 503 });
    });
  });

  describe('code2Session', () => {
    it('trades a code for the openid and keeps no session_key', async () => {
      const session = await (await client()).code2Session(harness.simulator.login('alice'));
      expect(session).toEqual({ openid: harness.simulator.openidOf('alice') });
    });

    it.each([
      ['an unknown code', 'nope', 'WECHAT_CODE_INVALID', 400],
      ['a wrong secret', 'alice', 'WECHAT_ERROR', 502],
    ])('maps %s to %s', async (_, code, expected, status) => {
      const wechat = await client(code === 'alice' ? { secret: 'f'.repeat(32) } : {});
      const error = await failure(wechat.code2Session(code === 'alice' ? harness.simulator.login('alice') : code));
      expect({ code: error.code, status: error.status }).toEqual({ code: expected, status });
    });

    it('refuses a code used twice (40163) as the caller’s fault', async () => {
      const wechat = await client();
      const code = harness.simulator.login('alice');
      await wechat.code2Session(code);
      expect(await failure(wechat.code2Session(code))).toMatchObject({
        code: 'WECHAT_CODE_INVALID',
        status: 400,
        details: { wechatErrcode: 40163 },
      });
    });

    it.each([
      [40226, 'WECHAT_USER_BLOCKED', 403],
      [45011, 'WECHAT_QUOTA_EXCEEDED', 503],
    ])('maps errcode %i to %s', async (errcode, expected, status) => {
      harness.simulator.injectFault({ api: 'jscode2session', errcode });
      const error = await failure((await client()).code2Session(harness.simulator.login('alice')));
      expect({ code: error.code, status: error.status }).toEqual({ code: expected, status });
    });
  });
});
