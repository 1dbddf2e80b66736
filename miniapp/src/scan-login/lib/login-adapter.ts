import type { LoginApi } from './api';
import { asLoginError, ClientCode, LoginError } from './login-error';

/** Resolves a fresh one-time WeChat login code for the confirm call. */
export type LoginAdapter = () => Promise<string>;

/** What `wx.login` / `Taro.login` resolves with. */
export interface WeChatLoginResult {
  code?: string;
  errMsg?: string;
}

/**
 * The WeChat adapter: `Taro.login`, or `wx.login` on a native page. Its `code` is checked
 * because a build that lacks the API (Taro's H5 production build) resolves without one
 * instead of failing.
 */
export function wechatLogin(login: () => Promise<WeChatLoginResult>): LoginAdapter {
  return async () => {
    let result: WeChatLoginResult;
    try {
      result = await login();
    } catch (error) {
      throw asLoginError(error, ClientCode.LoginFailed);
    }
    if (!result.code) throw new LoginError(ClientCode.LoginFailed, result.errMsg || 'wx.login gave no code.');
    return result.code;
  };
}

/**
 * The simulator's adapter (H5, which has no wx.login; weapp against a simulated server, see
 * login-source.ts): the simulator issues the code for a simulated WeChat user, one stable
 * openid per name. `user` is read at each call so a name changed on the page takes effect
 * at the next confirm.
 */
export function simulatorLogin(api: Pick<LoginApi, 'simulatorCode'>, user: () => string): LoginAdapter {
  return () => api.simulatorCode(user());
}
