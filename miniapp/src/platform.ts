import Taro from '@tarojs/taro';
import { LoginApi, Transport } from './lib/api';
import { Language, languageOf } from './lib/language';
import { launchSceneOf } from './lib/launch-scene';
import { LoginAdapter, simulatorLogin, wechatLogin } from './lib/login-adapter';
import { KeyValueStorage, readSimUser } from './lib/sim-user';

/**
 * The Taro side of the pure modules in lib/: the one place that touches Taro's APIs, so
 * everything else stays testable under jest.
 */

/** The H5 build is the phone side of the WeChat simulator, not something WeChat runs. */
export const IS_SIMULATOR = process.env.TARO_ENV === 'h5';

// weapp: a server on the developer's machine, as WeChat devtools sees it; H5: the server
// that served this page, so its API is on the same origin. Spelled out (not IS_SIMULATOR)
// so the build folds it and the H5 bundle carries no localhost URL.
const DEFAULT_API_BASE = process.env.TARO_ENV === 'h5' ? '' : 'http://localhost:3000';

export const API_BASE = (process.env.TARO_APP_API_BASE || DEFAULT_API_BASE).replace(/\/+$/, '');

const transport: Transport = async ({ method, url, data, header }) => {
  const response = await Taro.request({ method, url, data, header, dataType: 'json', timeout: 15000 });
  return { statusCode: response.statusCode, data: response.data };
};

export const api = new LoginApi(API_BASE, transport);

export const storage: KeyValueStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
};

export const login: LoginAdapter = IS_SIMULATOR
  ? simulatorLogin(api, () => readSimUser(storage))
  : wechatLogin(() => Taro.login());

export function systemLanguage(): Language {
  return languageOf(Taro.getAppBaseInfo().language);
}

/**
 * How the mini-program was entered this time. The enter options, unlike the launch
 * options, also reflect a hot start: a forwarded code opened while the mini-program was
 * still in the background must be flagged too.
 */
export function entryScene(): number | undefined {
  const options = typeof Taro.getEnterOptionsSync === 'function' ? Taro.getEnterOptionsSync() : Taro.getLaunchOptionsSync();
  return launchSceneOf(options.scene);
}
