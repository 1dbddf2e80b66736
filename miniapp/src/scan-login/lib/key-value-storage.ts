/**
 * Local storage as `Taro.getStorageSync` / `Taro.setStorageSync` offer it (window.localStorage
 * on H5, WeChat's storage on weapp). `get` answers '' for a key that was never set.
 */
export interface KeyValueStorage {
  get(key: string): unknown;
  set(key: string, value: string): void;
}
