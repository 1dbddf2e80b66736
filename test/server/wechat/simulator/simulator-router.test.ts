import { request as httpRequest } from 'node:http';
import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../../server/wechat/simulator/simulated-app';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';
import { SimulatorHarness, expectErrcode } from './simulator-harness';

describe('simulatorRouter', () => {
  let wechat: SimulatorHarness;
  beforeEach(() => {
    wechat = new SimulatorHarness();
  });
  afterEach(() => wechat.close());

  describe('POST sim/login', () => {
    it('hands out a fresh code for the simulated user, as wx.login does', async () => {
      const first = await wechat.post('sim/login', { user: 'alice' });
      const second = await wechat.post('sim/login', { user: 'alice' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
      expect(second.body.code).not.toBe(first.body.code);
      const session = await wechat.jscode2session(first.body.code);
      expect(session.body.openid).toBe(wechat.simulator.openidOf('alice'));
    });

    it('issues a code of another appid when asked, which our app cannot use', async () => {
      const answer = await wechat.post('sim/login', { user: 'alice', appid: 'wx00000000000000ff' });
      expectErrcode(await wechat.jscode2session(answer.body.code), Errcode.INVALID_CODE);
    });

    it.each([
      ['no user', {}],
      ['an empty user', { user: '' }],
      ['a 65-character user', { user: 'a'.repeat(65) }],
      ['a numeric user', { user: 7 }],
      ['an empty appid', { user: 'alice', appid: '' }],
      ['an unknown field', { user: 'alice', openid: 'o' }],
      ['a body that is not JSON', 'user=alice'],
      ['a JSON array', '["alice"]'],
    ])('answers a body with %s with 400 INVALID_REQUEST', async (_, body) => {
      const answer = await wechat.post('sim/login', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
    });

    it('accepts a 64-character user', async () => {
      expect((await wechat.post('sim/login', { user: 'a'.repeat(64) })).status).toBe(200);
    });
  });

  describe('request bodies', () => {
    it.each(['cgi-bin/stable_token', 'wxa/getwxacodeunlimit', 'sim/login', 'sim/faults'])(
      'answers 413 PAYLOAD_TOO_LARGE for a body over 16 KB on %s',
      async (path) => {
        const answer = await wechat.post(path, JSON.stringify({ user: 'a'.repeat(16 * 1024) }));
        expect(answer.status).toBe(413);
        expect(answer.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
      },
    );

    it('stops reading a chunked body once it passes 16 KB', async () => {
      const url = new URL(`${await wechat.base}/cgi-bin/stable_token`);
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(url, { method: 'POST' }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        for (let i = 0; i < 20; i++) request.write('x'.repeat(1024));
        request.end();
      });
      expect(status).toBe(413);
    });

    it('reads a body of exactly 16 KB', async () => {
      const body = JSON.stringify({
        grant_type: 'client_credential',
        appid: SIMULATED_APPID,
        secret: SIMULATED_SECRET,
      });
      const answer = await wechat.post('cgi-bin/stable_token', body.padEnd(16 * 1024, ' '));
      expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    });
  });

  it('answers errors with HTTP 200 and application/json, as WeChat does', async () => {
    const answer = await wechat.get('sns/jscode2session');
    expectErrcode(answer, Errcode.APPID_MISSING);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
  });

  it('reads the first of repeated query parameters', async () => {
    const code = wechat.simulator.login('alice');
    const query = new URLSearchParams({ appid: SIMULATED_APPID, secret: SIMULATED_SECRET, js_code: code });
    query.append('grant_type', 'authorization_code');
    query.append('grant_type', 'client_credential');
    const answer = await wechat.request(`sns/jscode2session?${query}`);
    expect(answer.body.openid).toBe(wechat.simulator.openidOf('alice'));
  });

  it('serves only under /__wechat__/', async () => {
    const response = await fetch(`${(await wechat.base).replace('/__wechat__', '')}/cgi-bin/token`);
    expect(response.status).toBe(404);
  });
});
