/**
 * The few WeChat mini-program APIs the native confirm page calls, as WeChat documents them
 * (developers.weixin.qq.com/miniprogram/dev/api). Declared here rather than taken from a
 * typings package: the page needs eight calls, and these shapes have not changed in years.
 */

interface WxFailure {
  errMsg: string;
}

interface WxRequestSuccess {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

interface Wx {
  request(options: {
    url: string;
    method: 'GET' | 'POST';
    data?: unknown;
    header?: Record<string, string>;
    dataType?: 'json';
    timeout?: number;
    success(result: WxRequestSuccess): void;
    fail(error: WxFailure): void;
  }): void;
  login(options: { success(result: { code?: string; errMsg?: string }): void; fail(error: WxFailure): void }): void;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  getAppBaseInfo(): { language: string };
  getEnterOptionsSync?(): { scene: number };
  getLaunchOptionsSync(): { scene: number };
  setNavigationBarTitle(options: { title: string; fail?(error: WxFailure): void }): void;
}

declare const wx: Wx;

/** What `this` is in a page's functions: the page instance. */
interface PageInstance<Data> {
  data: Data;
  setData(data: Partial<Data>): void;
}

/** Registers the page; `options` is its data, its lifetimes (onLoad, onUnload) and its handlers. */
declare function Page<Data, Rest>(options: { data: Data } & Rest & ThisType<PageInstance<Data> & Rest>): void;

/** A module of the mini-program, resolved by WeChat relative to the calling file. */
declare function require(path: string): unknown;

// Timers, as every mini-program base library has them (outside the ES library without a DOM).
declare function setTimeout(callback: () => void, ms: number): number;
declare function clearTimeout(handle: number | undefined): void;
