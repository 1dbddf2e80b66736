import { LoginApi } from '../../../../miniapp/src/scan-login/lib/api';
import { simulatorLogin, wechatLogin } from '../../../../miniapp/src/scan-login/lib/login-adapter';
import { LoginError } from '../../../../miniapp/src/scan-login/lib/login-error';
import { DEFAULT_PREFIX } from '../../../../miniapp/src/scan-login/lib/login-server';
import { fetchTransport } from '../../support/fetch-transport';
import { ScriptedServer } from '../../support/scripted-server';

async function codeOf(promise: Promise<string>): Promise<string> {
  return promise.catch((error: unknown) => (error instanceof LoginError ? `${error.code}: ${error.message}` : 'other'));
}

describe('wechatLogin', () => {
  it("resolves wx.login's code", async () => {
    expect(await wechatLogin(async () => ({ code: 'wx-code', errMsg: 'login:ok' }))()).toBe('wx-code');
  });

  it('fails with LOGIN_FAILED when wx.login resolves without a code, as Taro H5 production does', async () => {
    expect(await codeOf(wechatLogin(async () => ({ errMsg: 'login:ok' }))())).toBe('LOGIN_FAILED: login:ok');
    expect(await codeOf(wechatLogin(async () => ({}))())).toBe('LOGIN_FAILED: wx.login gave no code.');
  });

  it("fails with LOGIN_FAILED and WeChat's errMsg when wx.login rejects", async () => {
    const login = wechatLogin(() => Promise.reject({ errMsg: 'login:fail timeout' }));
    expect(await codeOf(login())).toBe('LOGIN_FAILED: login:fail timeout');
  });
});

describe('simulatorLogin', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(() => server.close());

  it('asks the simulator for a code for the user named at the time of the call', async () => {
    server.answer(200, { code: 'code-1' });
    server.answer(200, { code: 'code-2' });
    let user = 'alice';
    const login = simulatorLogin(new LoginApi({ apiBase: server.url, prefix: DEFAULT_PREFIX }, fetchTransport), () => user);
    expect(await login()).toBe('code-1');
    user = 'bob';
    expect(await login()).toBe('code-2');
    expect(server.requests.map((request) => request.body)).toEqual([{ user: 'alice' }, { user: 'bob' }]);
  });
});
