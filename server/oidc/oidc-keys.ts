import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cryptoRandom } from '../core/random';
import { readIfExists, readOrCreateDataFile } from '../stores/data-file';

/*
 * The OpenID provider's keys, generated on first start and kept: ID tokens must keep
 * verifying, and sessions keep their cookies, across restarts, and every instance must
 * have the same ones. Two key sets, each a list: the first entry signs, all of them verify
 * (the signing keys are all published at jwks_uri). Where they live:
 * - one instance: two files in DATA_DIR, oidc-jwks.json and oidc-cookie-keys.json;
 * - with DATABASE_URL: two rows of the table oidc_keys, named 'jwks' and 'cookie-keys',
 *   whose `value` is what the file would hold (postgres-oidc-keys.ts). The DATA_DIR files,
 *   if any, seed them once and are not read again.
 *
 * Rotation, by an operator, never by deleting a file or a row (a new key would be
 * generated and everything signed with the old one would stop verifying at once):
 * 1. Prepend the new entry and restart every instance. The JWKS: a private JWK with
 *    "alg": "RS256" and "use": "sig" (without them the provider would rank it below the
 *    old key and keep signing with that one); its "kid" may be left out, the provider
 *    then uses the RFC 7638 thumbprint. The cookie keys: a random string of at least 32
 *    characters. In PostgreSQL:
 *      UPDATE oidc_keys SET value = jsonb_set(value, '{keys}', jsonb_build_array('<JWK>'::jsonb) || (value->'keys')) WHERE name = 'jwks';
 *      UPDATE oidc_keys SET value = jsonb_build_array('<key>'::text) || value WHERE name = 'cookie-keys';
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

/** One of the two key sets: its file in DATA_DIR, its row in PostgreSQL, how it is made and checked. */
export interface KeySet<T> {
  file: string;
  row: string;
  create(): T;
  /** Throws with a reason of our own wording, never quoting the value (it is key material). */
  parse(value: unknown): T;
}

/** Keys stored but unusable: start-up stops, naming where they are. */
export class OidcKeysError extends Error {
  constructor(
    /** e.g. `file /data/oidc-jwks.json`. */
    readonly source: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `OIDC keys in ${source} ${reason}. Fix them or restore them from a backup; deleting them ` +
        'replaces the keys and invalidates everything signed with them.',
      options,
    );
    this.name = 'OidcKeysError';
  }
}

export const JWKS: KeySet<OidcKeys['jwks']> = {
  file: JWKS_FILE,
  row: 'jwks',
  create: () => ({ keys: [newSigningKey()] }),
  parse: parseJwks,
};

export const COOKIE_KEYS: KeySet<string[]> = {
  file: COOKIE_KEYS_FILE,
  row: 'cookie-keys',
  create: () => [cryptoRandom(32).toString('base64url')],
  parse: parseCookieKeys,
};

/** Reads the provider's signing and cookie keys from DATA_DIR, generating each file once. */
export function resolveOidcKeys({ dataDir }: { dataDir: string }, log: Logger): OidcKeys {
  return { jwks: loadFile(dataDir, JWKS, log), cookieKeys: loadFile(dataDir, COOKIE_KEYS, log) };
}

/** A key set's file in DATA_DIR, checked, or undefined when there is none (nothing is created). */
export function readKeyFile<T>(dataDir: string, set: KeySet<T>): T | undefined {
  const file = join(dataDir, set.file);
  let text;
  try {
    text = readIfExists(file);
  } catch (error) {
    throw new OidcKeysError(`file ${file}`, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  return text === undefined ? undefined : parseText(`file ${file}`, set, text);
}

/** Checks stored keys with the set's rules, naming `source` when they fail. */
export function checkKeys<T>(source: string, set: KeySet<T>, value: unknown): T {
  try {
    return set.parse(value);
  } catch (error) {
    throw new OidcKeysError(source, `is not usable: ${(error as Error).message}`);
  }
}

/** RFC 7638 thumbprint of an RSA key: SHA-256 of its required members, in lexicographic order. */
export function rsaThumbprint({ e, n }: JsonWebKey): string {
  return createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
}

function newSigningKey(): Jwk {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: rsaThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function loadFile<T>(dataDir: string, set: KeySet<T>, log: Logger): T {
  const file = join(dataDir, set.file);
  let data;
  try {
    data = readOrCreateDataFile(dataDir, set.file, () => JSON.stringify(set.create(), null, 2) + '\n');
  } catch (error) {
    throw new OidcKeysError(`file ${file}`, `cannot be read or created (${(error as Error).message})`, { cause: error });
  }
  const value = parseText(`file ${file}`, set, data.text);
  if (data.created) log.info({ file }, 'generated OIDC keys (keep this file, and back it up)');
  return value;
}

function parseText<T>(source: string, set: KeySet<T>, text: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Our own reason only: JSON.parse quotes the offending input, i.e. key material.
    throw new OidcKeysError(source, 'is not valid JSON');
  }
  return checkKeys(source, set, value);
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
