import type { WeChatMode } from '../../../miniapp/src/lib/api';
import { askedLoginSource, loginSourceFor, sourcedLogin } from '../../../miniapp/src/lib/login-source';
import { LoginError } from '../../../miniapp/src/lib/login-error';

describe('loginSourceFor', () => {
  it("takes the weapp build's code from the simulator exactly when the server simulates WeChat", () => {
    expect(loginSourceFor('simulator')).toBe('simulator');
    expect(loginSourceFor('real')).toBe('wechat');
  });
});

describe('askedLoginSource', () => {
  it('asks the server once and keeps its answer', async () => {
    const asked: string[] = [];
    const source = askedLoginSource(async () => {
      asked.push('healthz');
      return 'simulator';
    });
    expect(await Promise.all([source(), source()])).toEqual(['simulator', 'simulator']);
    expect(await source()).toBe('simulator');
    expect(asked).toEqual(['healthz']);
  });

  it('asks again after a failed ask', async () => {
    const answers: Array<() => Promise<WeChatMode>> = [
      () => Promise.reject(new LoginError('NETWORK_ERROR', 'offline')),
      () => Promise.resolve('real'),
    ];
    const source = askedLoginSource(() => answers.shift()!());
    await expect(source()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(await source()).toBe('wechat');
    expect(answers).toEqual([]);
  });
});

describe('sourcedLogin', () => {
  const adapters = {
    wechat: async () => 'wx.login code',
    simulator: async () => 'simulator code',
  };

  it('gets the code where the source says, deciding at each call', async () => {
    let mode: WeChatMode = 'simulator';
    const login = sourcedLogin(askedLoginSource(async () => mode), adapters);
    expect(await login()).toBe('simulator code');
    mode = 'real';
    // The answer is kept: a server does not change modes while it runs.
    expect(await login()).toBe('simulator code');
    expect(await sourcedLogin(async () => 'wechat', adapters)()).toBe('wx.login code');
  });

  it("fails with the ask's error when the server cannot say, so the confirm can be retried", async () => {
    const draining = () => Promise.reject(new LoginError('HTTP_ERROR', 'HTTP 503', 503));
    const login = sourcedLogin(askedLoginSource(draining), adapters);
    await expect(login()).rejects.toMatchObject({ code: 'HTTP_ERROR' });
  });
});
