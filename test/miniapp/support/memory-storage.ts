import type { KeyValueStorage } from '../../../miniapp/src/scan-login/lib/key-value-storage';

/**
 * Taro's storage on H5 is window.localStorage; a Map behaves the same for these calls
 * (including the '' that Taro.getStorageSync answers for a key never set).
 */
export function memoryStorage(initial: Record<string, unknown> = {}): KeyValueStorage & { map: Map<string, unknown> } {
  const map = new Map(Object.entries(initial));
  return { map, get: (key) => map.get(key) ?? '', set: (key, value) => void map.set(key, value) };
}
