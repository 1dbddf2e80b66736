import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { HttpRequest, HttpResponse, Transport } from '../../../miniapp/src/scan-login/lib/api';

/** The page instance WeChat makes from a page's `Page({...})`: its data, setData and handlers. */
export interface NativePage {
  data: Record<string, unknown>;
  [handler: string]: unknown;
}

export interface FakeWxOptions {
  transport: Transport;
  language?: string;
  /** The entry scene (1047: a code scanned with the camera). */
  scene?: number;
}

/** What the page asked of `wx`, for the test to check. */
export interface WxRecord {
  urls: string[];
  titles: string[];
  storage: Map<string, string>;
}

interface WxRequest extends HttpRequest {
  success(response: HttpResponse): void;
  fail(error: { errMsg: string }): void;
}

/** The `wx` of a phone: requests over `transport`, storage in memory, a fixed language and scene. */
export function fakeWx({ transport, language = 'en', scene = 1047 }: FakeWxOptions) {
  const record: WxRecord = { urls: [], titles: [], storage: new Map() };
  const wx = {
    request({ url, method, data, header, success, fail }: WxRequest) {
      record.urls.push(url);
      transport({ method, url, data, header }).then(success, (error: unknown) => fail({ errMsg: `request:fail ${String(error)}` }));
    },
    login: ({ fail }: Record<string, (value: unknown) => void>) => fail({ errMsg: 'login:fail not in this test' }),
    getStorageSync: (key: string) => record.storage.get(key) ?? '',
    setStorageSync: (key: string, value: string) => void record.storage.set(key, value),
    getAppBaseInfo: () => ({ language }),
    getEnterOptionsSync: () => ({ scene }),
    getLaunchOptionsSync: () => ({ scene }),
    setNavigationBarTitle: ({ title }: { title: string }) => void record.titles.push(title),
  };
  return { wx, record };
}

/**
 * Runs the page script `<page>.js` of a native mini-program in `projectDir` as WeChat
 * would: with `wx` and `Page` as globals and `require` resolved from the script's folder,
 * and makes the page instance. `setData` copies through JSON, as WeChat's does, so data that
 * WeChat could not pass to the template does not reach it here either.
 */
export function loadNativePage(projectDir: string, page: string, wx: object): NativePage {
  const file = join(projectDir, `${page}.js`);
  let options: Record<string, unknown> | undefined;
  const requireFrom = (request: string) => commonJs(resolve(dirname(file), request));
  new Function('Page', 'wx', 'require', readFileSync(file, 'utf8'))((given: Record<string, unknown>) => (options = given), wx, requireFrom);
  if (!options) throw new Error(`${page}.js did not call Page()`);
  const instance: NativePage = { ...options, data: structuredClone((options.data ?? {}) as Record<string, unknown>) };
  instance.setData = (patch: object) => Object.assign(instance.data, JSON.parse(JSON.stringify(patch)));
  return instance;
}

/** A CommonJS module of the mini-program (config.js), evaluated as WeChat's require would. */
function commonJs(path: string): unknown {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', readFileSync(path, 'utf8'))(module, module.exports);
  return module.exports;
}

/** Calls the page's handler or lifetime `name` as WeChat does, with the page as `this`. */
export function fire(page: NativePage, name: string, ...args: unknown[]): unknown {
  const handler = page[name];
  if (typeof handler !== 'function') throw new Error(`the page has no ${name}`);
  return handler.apply(page, args);
}
