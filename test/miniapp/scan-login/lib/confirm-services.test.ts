import { confirmServices } from '../../../../miniapp/src/scan-login/lib/confirm-services';
import { SCAN_TOKENS_STORAGE_KEY } from '../../../../miniapp/src/scan-login/lib/scan-tokens';
import { SIM_USER_STORAGE_KEY } from '../../../../miniapp/src/scan-login/lib/sim-user';
import { fetchTransport } from '../../support/fetch-transport';
import { memoryStorage } from '../../support/memory-storage';
import { ScriptedServer } from '../../support/scripted-server';

describe('confirmServices', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(() => server.close());

  function services(simulatorOnly: boolean) {
    const storage = memoryStorage({ [SIM_USER_STORAGE_KEY]: 'bob' });
    const wechatLogin = jest.fn(async () => ({ code: 'wx-code' }));
    const built = confirmServices({
      server: { apiBase: server.url, prefix: '/auth/wechat' },
      transport: fetchTransport,
      storage,
      wechatLogin,
      simulatorOnly,
    });
    return { ...built, storage, wechatLogin };
  }

  it("logs in with wx.login for a ticket of a server that asks WeChat, and with the stored simulated user's code otherwise", async () => {
    const { login, wechatLogin } = services(false);
    expect(await login({ wechat: 'real' })).toBe('wx-code');
    server.answer(200, { code: 'sim-code' });
    expect(await login({ wechat: 'simulator' })).toBe('sim-code');
    expect(server.requests).toEqual([expect.objectContaining({ path: '/__wechat__/sim/login', body: { user: 'bob' } })]);
    expect(wechatLogin).toHaveBeenCalledTimes(1);
  });

  it('never calls wx.login on a build without it (H5)', async () => {
    const { login, wechatLogin } = services(true);
    server.answer(200, { code: 'sim-code' });
    expect(await login({ wechat: 'real' })).toBe('sim-code');
    expect(wechatLogin).not.toHaveBeenCalled();
  });

  it("calls the server under its prefix and keeps the scan tokens in the platform's storage", async () => {
    const { api, scanTokens, storage } = services(false);
    server.answer(200, { code: 'unused' });
    await api.simulatorCode('x');
    server.answer(200, { status: 'cancelled' });
    await api.cancel('t1', 's');
    expect(server.requests.map(({ path }) => path)).toEqual(['/__wechat__/sim/login', '/auth/wechat/tickets/t1/cancel']);
    scanTokens.remember('t1', 'scan-token', Date.now() + 60_000);
    expect(String(storage.map.get(SCAN_TOKENS_STORAGE_KEY))).toContain('scan-token');
  });
});
