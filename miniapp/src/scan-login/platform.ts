import Taro from '@tarojs/taro';
import type { Transport } from './lib/api';
import { buildVariable } from './lib/build-variable';
import { confirmServices } from './lib/confirm-services';
import type { KeyValueStorage } from './lib/key-value-storage';
import { Language, languageOf, languageTag } from './lib/language';
import { launchSceneOf } from './lib/launch-scene';
import { loginServerOf } from './lib/login-server';

/**
 * The Taro side of the pure modules in lib/: the one place that touches Taro's APIs (and,
 * on H5, the document), so everything else stays testable under jest, and builds for a
 * native mini-program too (miniapp/native/).
 */

/** The H5 build: the phone side of the WeChat simulator, in a browser, not something WeChat runs. */
export const IS_H5 = process.env.TARO_ENV === 'h5';

/**
 * The login server: its address and the prefix its routes live under, from the build's
 * `.env` (Taro's `TARO_APP_*` variables). Unset address: on weapp a server on the
 * developer's machine, as WeChat devtools sees it; on H5 the server that served this page,
 * on the same origin. Spelled out (not IS_H5) so the build folds it and the H5 bundle
 * carries no localhost URL. Unset prefix: /api/login, the standalone server's.
 */
export const LOGIN_SERVER = loginServerOf(
  buildVariable(() => process.env.TARO_APP_SCAN_LOGIN_API_BASE),
  buildVariable(() => process.env.TARO_APP_SCAN_LOGIN_PREFIX),
  process.env.TARO_ENV === 'h5' ? '' : 'http://localhost:3000',
);

const transport: Transport = async ({ method, url, data, header }) => {
  const response = await Taro.request({ method, url, data, header, dataType: 'json', timeout: 15000 });
  return { statusCode: response.statusCode, data: response.data, header: response.header };
};

export const storage: KeyValueStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
};

export const services = confirmServices({
  server: LOGIN_SERVER,
  transport,
  storage,
  wechatLogin: () => Taro.login(),
  simulatorOnly: IS_H5,
});

export function systemLanguage(): Language {
  return languageOf(Taro.getAppBaseInfo().language);
}

/**
 * Tells the system which language the page speaks: the title (the navigation bar, and on
 * H5 the document's title, which Taro would otherwise leave at the page config's Chinese)
 * and, on H5, `<html lang>`.
 */
export function showLanguage(language: Language, title: string): void {
  if (process.env.TARO_ENV === 'h5') document.documentElement.lang = languageTag(language);
  // A title that cannot be set keeps the page config's; nothing else depends on it.
  Taro.setNavigationBarTitle({ title }).catch(() => undefined);
}

/**
 * H5: moves the keyboard focus to the element `id`, for a result that replaced the button
 * that had it; the focus would otherwise fall back to the top of the page, and a screen
 * reader would not read the result. WeChat's pages have no keyboard focus to move.
 */
export function focusOn(id: string): void {
  if (process.env.TARO_ENV !== 'h5') return;
  const element = document.getElementById(id);
  // -1: focusable from here, without becoming a stop of its own in the tab order.
  element?.setAttribute('tabindex', '-1');
  element?.focus();
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
