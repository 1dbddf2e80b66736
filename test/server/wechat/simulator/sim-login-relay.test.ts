import { startTestServer, startTestSimulator, type TestServer } from '../../../support/test-server';
import type { RunningSimulator } from '../../../../server/wechat/simulator/simulator-server';

describe('simLoginRelay', () => {
  let wechat: RunningSimulator;
  let server: TestServer;
  beforeAll(async () => {
    wechat = await startTestSimulator();
    server = await startTestServer({ WECHAT_API_BASE: wechat.apiBase });
  });
  afterAll(async () => {
    await server.close();
    await wechat.close();
  });

  const simLogin = (url: string, body: string) =>
    fetch(`${url}/__wechat__/sim/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it("passes the phone's wx.login on to the shared simulator", async () => {
    const answer = await simLogin(server.url, JSON.stringify({ user: 'ming' }));
    expect(answer.status).toBe(200);
    const { code } = (await answer.json()) as { code: string };
    const exchange = await wechat.simulator.jscode2session({
      appid: 'wx0000000000000001',
      secret: '0123456789abcdef0123456789abcdef',
      js_code: code,
      grant_type: 'authorization_code',
    });
    expect(exchange).toMatchObject({ json: { openid: expect.any(String) } });
  });

  it("answers with the simulator's own refusal of a bad body", async () => {
    const answer = await simLogin(server.url, JSON.stringify({ user: '' }));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('refuses a body over 16 KB with 413 before relaying it', async () => {
    const answer = await simLogin(server.url, JSON.stringify({ user: 'x'.repeat(20_000) }));
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it("exposes nothing else of the simulator: its tokens and faults stay on the simulator's port", async () => {
    const faults = await fetch(`${server.url}/__wechat__/sim/faults`, { method: 'DELETE' });
    expect(faults.status).toBe(404);
    const token = await fetch(`${server.url}/__wechat__/cgi-bin/token`);
    expect(token.status).toBe(404);
  });

  it('answers 503 WECHAT_UNAVAILABLE when the simulator is down, and recovers', async () => {
    const lone = await startTestSimulator();
    const instance = await startTestServer({ WECHAT_API_BASE: lone.apiBase });
    try {
      await lone.close();
      const down = await simLogin(instance.url, JSON.stringify({ user: 'ming' }));
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ error: { code: 'WECHAT_UNAVAILABLE' } });
    } finally {
      await instance.close();
    }
  });
});
