import { SIMULATED_APPID } from '../../../../server/wechat/simulator/simulated-app';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';
import { SimulatorHarness, expectErrcode } from './simulator-harness';

const MINUTE = 60_000;

describe('GET sns/jscode2session', () => {
  let wechat: SimulatorHarness;
  beforeEach(() => {
    wechat = new SimulatorHarness();
  });
  afterEach(() => wechat.close());

  it('trades a wx.login code for the user’s openid and a session_key', async () => {
    const answer = await wechat.jscode2session(wechat.simulator.login('alice'));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ openid: wechat.simulator.openidOf('alice'), session_key: expect.any(String) });
    expect(answer.body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(Buffer.from(answer.body.session_key, 'base64')).toHaveLength(16);
  });

  it('gives one user the same openid on every login, in every simulator, and others a different one', async () => {
    const first = await wechat.jscode2session(wechat.simulator.login('alice'));
    const second = await wechat.jscode2session(wechat.simulator.login('alice'));
    const bob = await wechat.jscode2session(wechat.simulator.login('bob'));
    expect(second.body.openid).toBe(first.body.openid);
    expect(second.body.session_key).not.toBe(first.body.session_key);
    expect(bob.body.openid).not.toBe(first.body.openid);

    const restarted = new SimulatorHarness();
    try {
      expect(restarted.simulator.openidOf('alice')).toBe(first.body.openid);
    } finally {
      await restarted.close();
    }
    expect(wechat.simulator.openidOf('alice', 'wx00000000000000ff')).not.toBe(first.body.openid);
  });

  it.each([
    ['no appid', { appid: '' }, Errcode.APPID_MISSING],
    ['another appid', { appid: 'wx1234567890abcdef' }, Errcode.INVALID_APPID],
    ['a wrong secret', { secret: '0'.repeat(32) }, Errcode.INVALID_APPSECRET],
    ['a wrong grant_type', { grant_type: 'client_credential' }, Errcode.INVALID_GRANT_TYPE],
    ['no js_code', { js_code: '' }, Errcode.CODE_MISSING],
    ['an unknown js_code', { js_code: 'a'.repeat(32) }, Errcode.INVALID_CODE],
  ])('answers a query with %s with its errcode', async (_, overrides, errcode) => {
    expectErrcode(await wechat.jscode2session(wechat.simulator.login('alice'), overrides), errcode);
  });

  it('answers WeChat’s errmsg texts', async () => {
    expect((await wechat.jscode2session('nope')).body.errmsg).toMatch(/^invalid code rid: /);
    expect((await wechat.jscode2session('', { js_code: '' })).body.errmsg).toMatch(/^missing code rid: /);
  });

  it('rejects a code of another appid as invalid (40029)', async () => {
    const code = wechat.simulator.login('alice', 'wx00000000000000ff');
    expectErrcode(await wechat.jscode2session(code), Errcode.INVALID_CODE);
  });

  it('accepts a code once; the second use is 40163', async () => {
    const code = wechat.simulator.login('alice');
    expect((await wechat.jscode2session(code)).body.openid).toBeDefined();
    const reused = await wechat.jscode2session(code);
    expectErrcode(reused, Errcode.CODE_BEEN_USED);
    expect(reused.body.errmsg).toMatch(/^code been used rid: /);
  });

  it('accepts a code for 5 minutes and answers 40029 after', async () => {
    const fresh = wechat.simulator.login('alice');
    const stale = wechat.simulator.login('alice');
    wechat.clock.advance(5 * MINUTE);
    expect((await wechat.jscode2session(fresh)).body.openid).toBe(wechat.simulator.openidOf('alice'));
    wechat.clock.advance(1);
    expectErrcode(await wechat.jscode2session(stale), Errcode.INVALID_CODE);
    // Issuing codes sweeps the expired ones; the answer stays the same.
    wechat.simulator.login('bob');
    expectErrcode(await wechat.jscode2session(stale), Errcode.INVALID_CODE);
  });

  it('answers 45011 after 100 calls of one user in a minute, and not for another user', async () => {
    for (let i = 0; i < 100; i++) {
      expect((await wechat.jscode2session(wechat.simulator.login('alice'))).body.openid).toBeDefined();
    }
    const code = wechat.simulator.login('alice');
    const limited = await wechat.jscode2session(code);
    expectErrcode(limited, Errcode.MINUTE_QUOTA);
    expect(limited.body.errmsg).toMatch(/^api minute-quota reach limit mustslower retry next minute rid: /);
    expect((await wechat.jscode2session(wechat.simulator.login('bob'))).body.openid).toBeDefined();

    wechat.clock.advance(MINUTE);
    expect((await wechat.jscode2session(code)).body.openid).toBe(wechat.simulator.openidOf('alice'));
  });

  it('has no per-user limit when quotas are off', async () => {
    const unlimited = new SimulatorHarness({ quotas: false });
    try {
      for (let i = 0; i < 101; i++) {
        const answer = await unlimited.jscode2session(unlimited.simulator.login('alice', SIMULATED_APPID));
        expect(answer.body.openid).toBeDefined();
      }
    } finally {
      await unlimited.close();
    }
  });
});
