import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import { query } from '../stores/postgres-query';
import { checkKeys, COOKIE_KEYS, JWKS, readKeyFile, type KeySet, type OidcKeys } from './oidc-keys';

/**
 * The provider's keys for every instance, in PostgreSQL (DATABASE_URL): one row of
 * `oidc_keys` per key set, made once (rotation: oidc-keys.ts). Instances that start
 * together may each make a candidate; the first INSERT wins (ON CONFLICT DO NOTHING) and
 * every instance then reads the row back, so all of them sign and verify with the same
 * keys. A deployment that grows from one instance seeds the rows from its DATA_DIR files,
 * so the tokens and sessions it signed stay valid.
 */
export async function resolvePostgresOidcKeys(pool: pg.Pool, { dataDir }: { dataDir: string }, log: Logger): Promise<OidcKeys> {
  return {
    jwks: await load(pool, JWKS, dataDir, log),
    cookieKeys: await load(pool, COOKIE_KEYS, dataDir, log),
  };
}

async function load<T>(pool: pg.Pool, set: KeySet<T>, dataDir: string, log: Logger): Promise<T> {
  const source = `row '${set.row}' of table oidc_keys (DATABASE_URL)`;
  let stored = await read(pool, set.row);
  if (stored === undefined) {
    const seed = readKeyFile(dataDir, set);
    // Explicit JSON: pg would send a JS array as a PostgreSQL array, not as JSON.
    const inserted = await query(
      pool,
      'INSERT INTO oidc_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING name',
      [set.row, JSON.stringify(seed ?? set.create()), Date.now()],
    );
    if (inserted.length === 1) {
      const from = seed === undefined ? 'generated' : join(dataDir, set.file);
      log.info({ keys: set.row, from }, 'stored OIDC keys in PostgreSQL, shared by every instance (back the database up)');
    }
    stored = await read(pool, set.row);
  }
  return checkKeys(source, set, stored);
}

async function read(pool: pg.Pool, name: string): Promise<unknown> {
  const rows = await query<{ value: unknown }>(pool, 'SELECT value FROM oidc_keys WHERE name = $1', [name]);
  return rows[0]?.value;
}
