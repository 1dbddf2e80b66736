import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../../server/wechat/simulator/simulated-app';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';
import { SimulatorHarness, expectErrcode } from './simulator-harness';

const MINUTE = 60_000;
const LIVE = Errcode.INVALID_SCENE_LENGTH;

describe('SimAccessTokens', () => {
  let wechat: SimulatorHarness;
  beforeEach(() => {
    wechat = new SimulatorHarness();
  });
  afterEach(() => wechat.close());

  const credentials = { grant_type: 'client_credential', appid: SIMULATED_APPID, secret: SIMULATED_SECRET };

  describe('POST cgi-bin/stable_token', () => {
    it.each([
      ['no appid', { grant_type: 'client_credential', secret: SIMULATED_SECRET }, Errcode.APPID_MISSING],
      ['an empty appid', { ...credentials, appid: '' }, Errcode.APPID_MISSING],
      ['a wrong grant_type', { ...credentials, grant_type: 'authorization_code' }, Errcode.INVALID_GRANT_TYPE],
      ['no grant_type', { appid: SIMULATED_APPID, secret: SIMULATED_SECRET }, Errcode.INVALID_GRANT_TYPE],
      ['another appid', { ...credentials, appid: 'wx1234567890abcdef' }, Errcode.INVALID_APPID],
      ['a wrong secret', { ...credentials, secret: 'f'.repeat(32) }, Errcode.INVALID_APPSECRET],
      ['no secret', { grant_type: 'client_credential', appid: SIMULATED_APPID }, Errcode.INVALID_APPSECRET],
    ])('answers a body with %s with its errcode', async (_, body, errcode) => {
      expectErrcode(await wechat.post('cgi-bin/stable_token', body), errcode);
    });

    it('reads a form-encoded body as one without appid (41002)', async () => {
      const form = new URLSearchParams(credentials).toString();
      const answer = await wechat.post('cgi-bin/stable_token', form, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectErrcode(answer, Errcode.APPID_MISSING);
      expect(answer.body.errmsg).toMatch(/^appid missing rid: /);
    });

    it('returns the same token on repeated calls, counting expires_in down', async () => {
      const first = await wechat.stableToken();
      expect(first.expires_in).toBe(7200);
      wechat.clock.advance(60 * MINUTE);
      expect(await wechat.stableToken()).toEqual({ access_token: first.access_token, expires_in: 3600 });
    });

    it('never answers with less than 300 s left', async () => {
      const first = await wechat.stableToken();
      wechat.clock.advance((7200 - 301) * 1000);
      expect(await wechat.stableToken()).toEqual({ access_token: first.access_token, expires_in: 301 });
    });

    it('issues a new token in the last 5 minutes while the old one lives out its time', async () => {
      const old = await wechat.stableToken();
      wechat.clock.advance((7200 - 300) * 1000);
      const renewed = await wechat.stableToken();
      expect(renewed.access_token).not.toBe(old.access_token);
      expect(renewed.expires_in).toBe(7200);
      expect(await wechat.tokenErrcode(old.access_token)).toBe(LIVE);

      wechat.clock.advance(300 * 1000 - 1);
      expect(await wechat.tokenErrcode(old.access_token)).toBe(LIVE);
      wechat.clock.advance(1);
      expect(await wechat.tokenErrcode(old.access_token)).toBe(Errcode.ACCESS_TOKEN_EXPIRED);
      expect(await wechat.tokenErrcode(renewed.access_token)).toBe(LIVE);
      expect((await wechat.stableToken()).access_token).toBe(renewed.access_token);
    });

    it('logs out the previous token at once on force_refresh', async () => {
      const old = await wechat.stableToken();
      const fresh = await wechat.stableToken(true);
      expect(fresh).toEqual({ access_token: expect.any(String), expires_in: 7200 });
      expect(fresh.access_token).not.toBe(old.access_token);
      expect(await wechat.tokenErrcode(old.access_token)).toBe(Errcode.INVALID_CREDENTIAL);
      expect(await wechat.tokenErrcode(fresh.access_token)).toBe(LIVE);
      expect((await wechat.stableToken()).access_token).toBe(fresh.access_token);
    });

    it('also logs out a token still in its 5-minute overlap on force_refresh', async () => {
      const old = await wechat.stableToken();
      wechat.clock.advance((7200 - 60) * 1000);
      const renewed = await wechat.stableToken();
      await wechat.stableToken(true);
      expect(await wechat.tokenErrcode(old.access_token)).toBe(Errcode.INVALID_CREDENTIAL);
      expect(await wechat.tokenErrcode(renewed.access_token)).toBe(Errcode.INVALID_CREDENTIAL);
    });

    it('refuses a force_refresh within 30 s of the previous one (45009)', async () => {
      const first = await wechat.stableToken(true);
      wechat.clock.advance(30_000 - 1);
      expectErrcode(
        await wechat.post('cgi-bin/stable_token', { ...credentials, force_refresh: true }),
        Errcode.DAILY_QUOTA,
      );
      expect(await wechat.tokenErrcode(first.access_token)).toBe(LIVE);
      wechat.clock.advance(1);
      expect((await wechat.stableToken(true)).access_token).not.toBe(first.access_token);
    });

    it('allows 20 force_refresh a day (Beijing time), then 45009 until the next day', async () => {
      for (let i = 0; i < 20; i++) {
        await wechat.stableToken(true);
        wechat.clock.advance(30_000);
      }
      const refused = await wechat.post('cgi-bin/stable_token', { ...credentials, force_refresh: true });
      expectErrcode(refused, Errcode.DAILY_QUOTA);
      expect(refused.body.errmsg).toMatch(/^reach max api daily quota limit rid: /);
      // The clock starts at 2026-01-01T00:00Z, 08:00 in Beijing; the next day there starts at 16:00Z.
      wechat.clock.advance(Date.UTC(2026, 0, 1, 16) - wechat.clock.now());
      await wechat.stableToken(true);
    });

    it('leaves force_refresh unlimited when quotas are off', async () => {
      const unlimited = new SimulatorHarness({ quotas: false });
      try {
        for (let i = 0; i < 25; i++) await unlimited.stableToken(true);
      } finally {
        await unlimited.close();
      }
    });

    it('answers 45009 beyond the per-minute limit', async () => {
      const limited = new SimulatorHarness({ quotaLimits: { stableTokenPerMinute: 2 } });
      try {
        await limited.stableToken();
        await limited.stableToken();
        expectErrcode(await limited.post('cgi-bin/stable_token', credentials), Errcode.DAILY_QUOTA);
        limited.clock.advance(MINUTE);
        await limited.stableToken();
      } finally {
        await limited.close();
      }
    });
  });

  describe('GET cgi-bin/token', () => {
    it.each([
      ['no appid', { grant_type: 'client_credential', secret: SIMULATED_SECRET }, Errcode.APPID_MISSING],
      ['a wrong grant_type', { ...credentials, grant_type: 'refresh' }, Errcode.INVALID_GRANT_TYPE],
      ['another appid', { ...credentials, appid: 'wx1234567890abcdef' }, Errcode.INVALID_APPID],
      ['a wrong secret', { ...credentials, secret: 'nope' }, Errcode.INVALID_APPSECRET],
    ])('answers a query with %s with its errcode', async (_, query, errcode) => {
      expectErrcode(await wechat.get('cgi-bin/token', query), errcode);
    });

    it('issues a new token on every fetch and keeps the previous one 5 more minutes', async () => {
      const first = await wechat.legacyToken();
      wechat.clock.advance(MINUTE);
      const second = await wechat.legacyToken();
      expect(second).not.toBe(first);
      expect(await wechat.tokenErrcode(first)).toBe(LIVE);
      wechat.clock.advance(5 * MINUTE - 1);
      expect(await wechat.tokenErrcode(first)).toBe(LIVE);
      wechat.clock.advance(1);
      expect(await wechat.tokenErrcode(first)).toBe(Errcode.INVALID_CREDENTIAL);
      expect(await wechat.tokenErrcode(second)).toBe(LIVE);
    });

    it('lets a token expire after 7200 s (42001)', async () => {
      const token = await wechat.legacyToken();
      wechat.clock.advance(7200 * 1000);
      expect(await wechat.tokenErrcode(token)).toBe(Errcode.ACCESS_TOKEN_EXPIRED);
    });

    it('is isolated from stable_token in both directions', async () => {
      const stable = await wechat.stableToken();
      const legacy = await wechat.legacyToken();
      for (let i = 0; i < 3; i++) await wechat.legacyToken();
      wechat.clock.advance(10 * MINUTE);
      expect(await wechat.tokenErrcode(stable.access_token)).toBe(LIVE);
      expect((await wechat.stableToken()).access_token).toBe(stable.access_token);

      const latestLegacy = await wechat.legacyToken();
      await wechat.stableToken(true);
      expect(await wechat.tokenErrcode(latestLegacy)).toBe(LIVE);
      expect(await wechat.tokenErrcode(legacy)).toBe(Errcode.INVALID_CREDENTIAL);
    });

    it('answers 45009 beyond the daily limit', async () => {
      const limited = new SimulatorHarness({ quotaLimits: { tokenPerDay: 1 } });
      try {
        await limited.legacyToken();
        expectErrcode(await limited.get('cgi-bin/token', credentials), Errcode.DAILY_QUOTA);
      } finally {
        await limited.close();
      }
    });
  });
});
