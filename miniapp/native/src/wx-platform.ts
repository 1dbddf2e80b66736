import type { Transport } from '../../src/scan-login/lib/api';
import { confirmServices } from '../../src/scan-login/lib/confirm-services';
import type { KeyValueStorage } from '../../src/scan-login/lib/key-value-storage';
import { Language, languageOf } from '../../src/scan-login/lib/language';
import { launchSceneOf } from '../../src/scan-login/lib/launch-scene';
import { loginServerOf } from '../../src/scan-login/lib/login-server';

/**
 * The native mini-program side of the pure modules in src/scan-login/lib: the one place
 * that calls `wx`, as platform.ts is for Taro.
 */

/** `scan-login/config.js`, which the developer edits: kept out of the bundle, read at run time. */
interface ScanLoginConfig {
  apiBase?: string;
  prefix?: string;
}

// Relative to the built page, scan-login/pages/confirm/index.js (scripts/build-native.ts).
const config = require('../../config.js') as ScanLoginConfig;

/** Unset address: a server on the developer's machine, as WeChat devtools sees it. */
export const LOGIN_SERVER = loginServerOf(config.apiBase, config.prefix, 'http://localhost:3000');

const transport: Transport = ({ method, url, data, header }) =>
  new Promise((resolve, reject) => {
    wx.request({
      method,
      url,
      data,
      header,
      dataType: 'json',
      timeout: 15000,
      success: ({ statusCode, data: body, header: headers }) => resolve({ statusCode, data: body, header: headers }),
      fail: reject,
    });
  });

export const storage: KeyValueStorage = {
  get: (key) => wx.getStorageSync(key),
  set: (key, value) => wx.setStorageSync(key, value),
};

export const services = confirmServices({
  server: LOGIN_SERVER,
  transport,
  storage,
  wechatLogin: () => new Promise((resolve, reject) => wx.login({ success: resolve, fail: reject })),
  simulatorOnly: false,
});

export function systemLanguage(): Language {
  return languageOf(wx.getAppBaseInfo().language);
}

/** The navigation bar's title in the page's language; one that cannot be set keeps index.json's. */
export function showTitle(title: string): void {
  wx.setNavigationBarTitle({ title, fail: () => undefined });
}

/** How the mini-program was entered this time, also on a hot start (see platform.ts). */
export function entryScene(): number | undefined {
  const options = wx.getEnterOptionsSync ? wx.getEnterOptionsSync() : wx.getLaunchOptionsSync();
  return launchSceneOf(options.scene);
}
