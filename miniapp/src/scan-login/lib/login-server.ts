/**
 * Where the confirm page finds the login routes: the server's address and the path the
 * server library mounts them under (`createScanLogin({ prefix })`, DESIGN.md "Library").
 * The standalone server uses `/api/login`; a host site picks its own, e.g. `/auth/wechat`.
 */
export interface LoginServer {
  /** Scheme and host (and any path in front of the prefix), or '' for the page's own origin (H5). */
  apiBase: string;
  /** The routes' prefix: `${prefix}/tickets/:id/scan` and so on. */
  prefix: string;
}

export const DEFAULT_PREFIX = '/api/login';

// The server library's own rule for its prefix (server/scan-login-options.ts): a page built
// with a prefix that no server can have would only ever meet 404s, so it fails at once.
const PREFIX_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;

const API_BASE_PATTERN = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

/**
 * The login server from configured values, each a string that may be empty (unset):
 * an empty `apiBase` is `defaultApiBase`, an empty `prefix` is `/api/login`. Trailing
 * slashes go, so `https://example.com/` and `/auth/wechat/` work as written. Anything
 * that cannot be an address or a prefix throws, naming what was given.
 */
export function loginServerOf(apiBase: string | undefined, prefix: string | undefined, defaultApiBase: string): LoginServer {
  const base = trimSlashes(apiBase || defaultApiBase);
  if (base !== '' && !API_BASE_PATTERN.test(base)) {
    throw new Error(`scan-login: the server address must be an http(s) URL like https://example.com, not "${apiBase}"`);
  }
  const path = prefix ? trimSlashes(prefix) : DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(path)) {
    throw new Error(`scan-login: the route prefix must be a path like /auth/wechat (a leading /, no query), not "${prefix}"`);
  }
  return { apiBase: base, prefix: path };
}

function trimSlashes(value: string): string {
  return value.trim().replace(/\/+$/, '');
}
