import { loadSimulatorConfig } from '../../../../config/simulator-config';
import { decodeQr } from '../../../support/qr';
import { startServerProcess } from '../../../support/server-process';
import { startTestSimulator } from '../../../support/test-server';
import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../../server/wechat/simulator/simulated-app';
import type { RunningSimulator } from '../../../../server/wechat/simulator/simulator-server';

describe('startSimulatorServer', () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await startTestSimulator('http://proxy.example:8080/miniapp/');
  });
  afterAll(() => running.close());

  const stableToken = async () => {
    const answer = await fetch(`${running.apiBase}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: SIMULATED_APPID, secret: SIMULATED_SECRET }),
    });
    return (await answer.json()) as { access_token: string };
  };

  it('answers /healthz', async () => {
    const answer = await fetch(`${running.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ok', wechat: 'simulator' });
  });

  it("serves WeChat's API under /__wechat__ for the simulated app", async () => {
    expect((await stableToken()).access_token).toEqual(expect.any(String));
  });

  it('draws codes that open the configured phone page', async () => {
    const { access_token } = await stableToken();
    const answer = await fetch(`${running.apiBase}/wxa/getwxacodeunlimit?access_token=${access_token}`, {
      method: 'POST',
      body: JSON.stringify({ scene: 'abc123', page: 'pages/confirm/index', check_path: false }),
    });
    expect(answer.headers.get('content-type')).toBe('image/png');
    const text = decodeQr(Buffer.from(await answer.arrayBuffer()));
    expect(text).toBe('http://proxy.example:8080/miniapp/#/pages/confirm/index?scene=abc123');
  });

  it('answers unknown paths with the JSON 404', async () => {
    const answer = await fetch(`${running.url}/api/login/tickets`, { method: 'POST' });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('npm run simulator', () => {
  it('starts on PORT, logs the WECHAT_API_BASE to give instances and answers /healthz', async () => {
    const process = startServerProcess({ PORT: '0', LOG_LEVEL: 'info' }, 'simulator-main.ts');
    try {
      const url = await process.ready();
      expect(process.output()).toContain(`WECHAT_API_BASE=${url}/__wechat__`);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      process.child.kill('SIGTERM');
      expect(await process.exited).toBe(0);
    }
  });

  it('refuses a bad variable, naming it', async () => {
    const process = startServerProcess({ SIMULATOR_PHONE_URL: 'not a url' }, 'simulator-main.ts');
    expect(await process.exited).toBe(1);
    expect(process.output()).toContain('SIMULATOR_PHONE_URL');
  });
});

describe('loadSimulatorConfig', () => {
  it('defaults to port 3100 and the phone page of a default instance', () => {
    expect(loadSimulatorConfig({})).toMatchObject({ port: 3100, host: '127.0.0.1', phoneUrl: 'http://localhost:3000/miniapp/', faults: true });
  });

  it('ends the phone URL with a slash, so the hash route follows the index', () => {
    expect(loadSimulatorConfig({ SIMULATOR_PHONE_URL: 'https://demo.example/miniapp' }).phoneUrl).toBe('https://demo.example/miniapp/');
  });

  it('never injects faults in production', () => {
    expect(loadSimulatorConfig({ NODE_ENV: 'production' }).faults).toBe(false);
  });
});
