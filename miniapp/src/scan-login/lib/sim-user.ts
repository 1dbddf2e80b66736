import type { KeyValueStorage } from './key-value-storage';

/**
 * The simulated WeChat user who confirms when the code comes from the simulator (always on
 * H5; on weapp when the server simulates WeChat), kept in local storage so it survives reloads.
 */

export const DEFAULT_SIM_USER = 'alice';

export const SIM_USER_STORAGE_KEY = 'mp-scan-login:sim-user';

// Plain ASCII keeps the name readable in logs and safe in any simulator validation.
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

/** The name as it will be used, or null when it cannot be a simulated user's name. */
export function normalizeSimUser(input: string): string | null {
  const name = input.trim();
  return NAME_PATTERN.test(name) ? name : null;
}

export function readSimUser(storage: KeyValueStorage): string {
  const stored = storage.get(SIM_USER_STORAGE_KEY);
  return (typeof stored === 'string' && normalizeSimUser(stored)) || DEFAULT_SIM_USER;
}

/** Stores `input` if it is a valid name; returns the stored name, or null when it was not. */
export function writeSimUser(storage: KeyValueStorage, input: string): string | null {
  const name = normalizeSimUser(input);
  if (name !== null) storage.set(SIM_USER_STORAGE_KEY, name);
  return name;
}
