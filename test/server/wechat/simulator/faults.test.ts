import { Errcode } from '../../../../server/wechat/wechat-errcodes';
import { SimulatorHarness, expectErrcode } from './simulator-harness';

describe('Faults', () => {
  let wechat: SimulatorHarness;
  beforeEach(() => {
    wechat = new SimulatorHarness();
  });
  afterEach(() => wechat.close());

  const inject = async (fault: unknown) => {
    const answer = await wechat.post('sim/faults', fault);
    expect(answer.status).toBe(204);
  };

  it('answers the errcode for the next `times` calls of the API, then serves normally', async () => {
    await inject({ api: 'jscode2session', errcode: Errcode.SYSTEM_BUSY, times: 2 });
    const code = wechat.simulator.login('alice');
    for (let i = 0; i < 2; i++) {
      const failed = await wechat.jscode2session(code);
      expectErrcode(failed, Errcode.SYSTEM_BUSY);
      expect(failed.body.errmsg).toMatch(/^system error rid: /);
    }
    // The faulted calls never reached the code, so it still works once.
    expect((await wechat.jscode2session(code)).body.openid).toBe(wechat.simulator.openidOf('alice'));
  });

  it('applies a fault once by default and only to its API', async () => {
    await inject({ api: 'stable_token', errcode: Errcode.HIGH_RISK_USER });
    expect((await wechat.jscode2session(wechat.simulator.login('alice'))).body.openid).toBeDefined();
    expectErrcode(await wechat.post('cgi-bin/stable_token', {}), Errcode.HIGH_RISK_USER);
    await wechat.stableToken();
  });

  it('uses injected faults of one API in order', async () => {
    await inject({ api: 'token', errcode: Errcode.IP_NOT_WHITELISTED });
    await inject({ api: 'token', errcode: Errcode.APPSECRET_FROZEN });
    expectErrcode(await wechat.get('cgi-bin/token'), Errcode.IP_NOT_WHITELISTED);
    expectErrcode(await wechat.get('cgi-bin/token'), Errcode.APPSECRET_FROZEN);
    await wechat.legacyToken();
  });

  it('answers an errcode WeChat never documented with a generic errmsg', async () => {
    await inject({ api: 'jscode2session', errcode: 99999 });
    const answer = await wechat.jscode2session('x');
    expectErrcode(answer, 99999);
    expect(answer.body.errmsg).toMatch(/^simulated fault rid: /);
  });

  it('delays a call, then serves it normally', async () => {
    const { access_token } = await wechat.stableToken();
    await inject({ api: 'getwxacodeunlimit', delayMs: 300 });
    const started = Date.now();
    const answer = await wechat.getwxacodeunlimit(access_token, { scene: 'abc', width: 280 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.contentType).toBe('image/png');
    const again = Date.now();
    await wechat.getwxacodeunlimit(access_token, { scene: 'abc', width: 280 });
    expect(Date.now() - again).toBeLessThan(290);
  });

  it('makes a client time out with a delay longer than its timeout', async () => {
    await inject({ api: 'stable_token', delayMs: 500 });
    const url = `${await wechat.base}/cgi-bin/stable_token`;
    await expect(fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) })).rejects.toThrow(
      /abort|timeout/i,
    );
  });

  it('delays and then answers the errcode when given both', async () => {
    await inject({ api: 'jscode2session', delayMs: 200, errcode: Errcode.SYSTEM_BUSY });
    const started = Date.now();
    expectErrcode(await wechat.jscode2session('x'), Errcode.SYSTEM_BUSY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('forgets every fault on DELETE sim/faults', async () => {
    await inject({ api: 'jscode2session', errcode: Errcode.SYSTEM_BUSY, times: 5 });
    const cleared = await wechat.request('sim/faults', { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect((await wechat.jscode2session(wechat.simulator.login('alice'))).body.openid).toBeDefined();
  });

  it('takes faults from code as well', async () => {
    wechat.simulator.injectFault({ api: 'jscode2session', errcode: Errcode.SYSTEM_BUSY });
    expectErrcode(await wechat.jscode2session('x'), Errcode.SYSTEM_BUSY);
    wechat.simulator.injectFault({ api: 'jscode2session', errcode: Errcode.SYSTEM_BUSY });
    wechat.simulator.clearFaults();
    expectErrcode(await wechat.jscode2session('x'), Errcode.INVALID_CODE);
  });

  it.each([
    ['an unknown api', { api: 'menu', errcode: -1 }],
    ['no api', { errcode: -1 }],
    ['errcode 0', { api: 'token', errcode: 0 }],
    ['a fractional errcode', { api: 'token', errcode: 1.5 }],
    ['a negative delay', { api: 'token', delayMs: -1 }],
    ['times 0', { api: 'token', errcode: -1, times: 0 }],
    ['an unknown field', { api: 'token', errcode: -1, forever: true }],
    ['a body that is not JSON', 'api=token'],
  ])('refuses a fault with %s (400 INVALID_REQUEST)', async (_, fault) => {
    const answer = await wechat.post('sim/faults', fault);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
    expect((await wechat.jscode2session('x')).body.errcode).toBe(Errcode.INVALID_CODE);
  });
});
