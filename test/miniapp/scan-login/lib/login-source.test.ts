import { loginSourceFor, sourcedLogin } from '../../../../miniapp/src/scan-login/lib/login-source';

describe('loginSourceFor', () => {
  it('takes the code from the simulator exactly when the scan answer says the server simulates WeChat', () => {
    expect(loginSourceFor('simulator', false)).toBe('simulator');
    expect(loginSourceFor('real', false)).toBe('wechat');
    // A server that does not say is taken at its word that it talks to WeChat.
    expect(loginSourceFor(undefined, false)).toBe('wechat');
  });

  it('always takes it from the simulator on a build without wx.login (H5)', () => {
    expect(loginSourceFor('real', true)).toBe('simulator');
    expect(loginSourceFor(undefined, true)).toBe('simulator');
  });
});

describe('sourcedLogin', () => {
  const adapters = {
    wechat: async () => 'wx.login code',
    simulator: async () => 'simulator code',
  };

  it("gets the code from the source of each ticket's scan answer", async () => {
    const login = sourcedLogin(false, adapters);
    expect(await login({ wechat: 'simulator' })).toBe('simulator code');
    expect(await login({ wechat: 'real' })).toBe('wx.login code');
    expect(await sourcedLogin(true, adapters)({ wechat: 'real' })).toBe('simulator code');
  });

  it("fails with the adapter's error, so the confirm can be retried", async () => {
    const login = sourcedLogin(false, { ...adapters, wechat: () => Promise.reject(new Error('login:fail')) });
    await expect(login({ wechat: 'real' })).rejects.toThrow('login:fail');
  });
});
