import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cryptoRandom } from '../core/random';
import { readOrCreateDataFile } from '../stores/data-file';

/*
 * The OpenID provider's keys, generated into DATA_DIR on first start and kept: ID tokens
 * must keep verifying, and sessions keep their cookies, across restarts. Every instance
 * must see the same two files. Both hold a list: the first entry signs, all of them verify
 * (the signing keys are all published at jwks_uri).
 *
 * Rotation, by an operator, never by deleting a file (a new key would be generated and
 * everything signed with the old one would stop verifying at once):
 * 1. Prepend the new entry and restart every instance. oidc-jwks.json: a private JWK with
 *    "alg": "RS256" and "use": "sig" (without them the provider would rank it below the
 *    old key and keep signing with that one); its "kid" may be left out, the provider
 *    then uses the RFC 7638 thumbprint. oidc-cookie-keys.json: a random string of at
 *    least 32 characters.
 * 2. Keep the old entry while anything signed with it is alive: ID tokens (their TTL plus
 *    the time relying parties cache the JWKS), sessions and interactions (their TTL).
 * 3. Remove the old entry and restart every instance.
 */

export const JWKS_FILE = 'oidc-jwks.json';
export const COOKIE_KEYS_FILE = 'oidc-cookie-keys.json';

/** Keygrip signs cookies with HMAC-SHA256: a key shorter than its 32-byte output is weaker. */
const MIN_COOKIE_KEY_LENGTH = 32;

/** A JWK as the provider's `jwks` configuration takes it: here, always a private one. */
export type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string };

export interface OidcKeys {
  jwks: { keys: Jwk[] };
  cookieKeys: string[];
}

/** A key file that exists but cannot be used: start-up stops, naming the file. */
export class OidcKeyFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `OIDC key file ${file} ${reason}. Fix it or restore it from a backup; deleting it ` +
        'replaces the keys and invalidates everything signed with them.',
      options,
    );
    this.name = 'OidcKeyFileError';
  }
}

/** Reads the provider's signing and cookie keys from DATA_DIR, generating each file once. */
export function resolveOidcKeys({ dataDir }: { dataDir: string }, log: Logger): OidcKeys {
  return {
    jwks: load(dataDir, JWKS_FILE, () => ({ keys: [newSigningKey()] }), parseJwks, log),
    cookieKeys: load(dataDir, COOKIE_KEYS_FILE, () => [cryptoRandom(32).toString('base64url')], parseCookieKeys, log),
  };
}

/** RFC 7638 thumbprint of an RSA key: SHA-256 of its required members, in lexicographic order. */
export function rsaThumbprint({ e, n }: JsonWebKey): string {
  return createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
}

function newSigningKey(): Jwk {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: rsaThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function load<T>(dataDir: string, name: string, create: () => T, parse: (value: unknown) => T, log: Logger): T {
  const file = join(dataDir, name);
  let data;
  try {
    data = readOrCreateDataFile(dataDir, name, () => JSON.stringify(create(), null, 2) + '\n');
  } catch (error) {
    throw new OidcKeyFileError(file, `cannot be read or created (${(error as Error).message})`, { cause: error });
  }
  let value: T;
  try {
    value = parse(JSON.parse(data.text));
  } catch (error) {
    // Our own reasons only: JSON.parse and node:crypto quote the offending input, i.e. key material.
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : `is not usable: ${(error as Error).message}`;
    throw new OidcKeyFileError(file, reason);
  }
  if (data.created) log.info({ file }, 'generated OIDC keys (keep this file, and back it up)');
  return value;
}

function parseJwks(value: unknown): { keys: Jwk[] } {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('expected {"keys": [at least one JWK]}');
  keys.forEach((key: Jwk, index) => {
    if (key?.use !== 'sig' || typeof key.alg !== 'string') {
      throw new Error(`keys[${index}] needs "alg" and "use": "sig"`);
    }
    try {
      createPrivateKey({ key, format: 'jwk' });
    } catch {
      throw new Error(`keys[${index}] is not a private key`);
    }
  });
  return { keys };
}

function parseCookieKeys(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error('expected a JSON array of at least one key');
  value.forEach((key, index) => {
    if (typeof key !== 'string' || key.length < MIN_COOKIE_KEY_LENGTH) {
      throw new Error(`[${index}] must be a string of at least ${MIN_COOKIE_KEY_LENGTH} characters`);
    }
  });
  return value;
}
