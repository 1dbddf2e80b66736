import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { StoreUnavailable } from '../../../server/errors';
import { COOKIE_KEYS_FILE, JWKS_FILE, OidcKeysError, resolveOidcKeys } from '../../../server/oidc/oidc-keys';
import { resolvePostgresOidcKeys } from '../../../server/oidc/postgres-oidc-keys';
import { createPostgresPool } from '../../../server/stores/postgres-database';
import { describeWithPostgres, instancePools, silentLog, UNREACHABLE_POSTGRES_URL } from '../../support/postgres';
import { tempDir } from '../../support/temp-dir';

describeWithPostgres('resolvePostgresOidcKeys', (databaseUrl) => {
  const pools = instancePools(databaseUrl);
  let dirs: ReturnType<typeof tempDir>[];
  const dataDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return { dataDir: join(dir.path, 'data') };
  };

  beforeEach(async () => {
    dirs = [];
    await pools()[0].query('DELETE FROM oidc_keys');
  });

  afterEach(() => {
    for (const dir of dirs) dir.remove();
  });

  it('gives two instances starting together the same keys, made once, and the same again on the next start', async () => {
    const [a, b] = pools();
    const [first, second] = await Promise.all([
      resolvePostgresOidcKeys(a, dataDir(), silentLog),
      resolvePostgresOidcKeys(b, dataDir(), silentLog),
    ]);
    expect(second).toEqual(first);
    expect(first.jwks.keys).toHaveLength(1);
    expect(first.jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', d: expect.any(String) });
    expect(Buffer.from(first.cookieKeys[0], 'base64url')).toHaveLength(32);
    expect((await a.query('SELECT name FROM oidc_keys ORDER BY name')).rows).toEqual([{ name: 'cookie-keys' }, { name: 'jwks' }]);

    expect(await resolvePostgresOidcKeys(b, dataDir(), silentLog)).toEqual(first);
  });

  it('writes no file into DATA_DIR', async () => {
    const config = dataDir();
    await resolvePostgresOidcKeys(pools()[0], config, silentLog);
    expect(existsSync(join(config.dataDir, JWKS_FILE))).toBe(false);
    expect(existsSync(join(config.dataDir, COOKIE_KEYS_FILE))).toBe(false);
  });

  it("seeds the rows from the DATA_DIR files of a deployment that had one instance, keeping its keys", async () => {
    const config = dataDir();
    const before = resolveOidcKeys(config, silentLog);
    expect(await resolvePostgresOidcKeys(pools()[0], config, silentLog)).toEqual(before);
    expect(await resolvePostgresOidcKeys(pools()[1], dataDir(), silentLog)).toEqual(before);
  });

  it('refuses to seed from a broken DATA_DIR file, naming it, and stores nothing', async () => {
    const config = dataDir();
    const file = join(config.dataDir, JWKS_FILE);
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, '{ not json');
    const refused = resolvePostgresOidcKeys(pools()[0], config, silentLog);
    await expect(refused).rejects.toBeInstanceOf(OidcKeysError);
    await expect(refused).rejects.toThrow(`file ${file} is not valid JSON`);
    expect((await pools()[0].query('SELECT name FROM oidc_keys')).rows).toEqual([]);
  });

  it('puts first a key prepended to the row by the documented SQL, keeping the old one after it', async () => {
    const [pool] = pools();
    const { jwks: old } = await resolvePostgresOidcKeys(pool, dataDir(), silentLog);
    const { jwks: fresh } = resolveOidcKeys(dataDir(), silentLog);
    await pool.query(
      "UPDATE oidc_keys SET value = jsonb_set(value, '{keys}', jsonb_build_array($1::jsonb) || (value->'keys')) WHERE name = 'jwks'",
      [JSON.stringify(fresh.keys[0])],
    );
    await pool.query("UPDATE oidc_keys SET value = jsonb_build_array($1::text) || value WHERE name = 'cookie-keys'", ['n'.repeat(32)]);
    const rotated = await resolvePostgresOidcKeys(pool, dataDir(), silentLog);
    expect(rotated.jwks.keys.map((key) => key.kid)).toEqual([fresh.keys[0].kid, old.keys[0].kid]);
    expect(rotated.cookieKeys[0]).toBe('n'.repeat(32));
    expect(rotated.cookieKeys).toHaveLength(2);
  });

  it('refuses a row that is not usable, naming the row and quoting no key material', async () => {
    const [pool] = pools();
    const { jwks } = await resolvePostgresOidcKeys(pool, dataDir(), silentLog);
    const { d: _d, ...publicOnly } = jwks.keys[0];
    await pool.query("UPDATE oidc_keys SET value = $1 WHERE name = 'jwks'", [JSON.stringify({ keys: [publicOnly] })]);
    const refused = resolvePostgresOidcKeys(pool, dataDir(), silentLog);
    await expect(refused).rejects.toBeInstanceOf(OidcKeysError);
    await expect(refused).rejects.toThrow("row 'jwks' of table oidc_keys");
    await expect(refused).rejects.toThrow(/keys\[0\] is not a private key/);
    await expect(refused.catch((error: Error) => error.message)).resolves.not.toContain(String(jwks.keys[0].n).slice(0, 12));
  });

  it('logs that it stored keys, without key material', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const keys = await resolvePostgresOidcKeys(pools()[0], dataDir(), pino(sink));
    expect(logged).toContain('stored OIDC keys in PostgreSQL');
    for (const secret of [keys.jwks.keys[0].d, keys.cookieKeys[0]]) expect(logged).not.toContain(secret);
  });
});

describe('resolvePostgresOidcKeys without PostgreSQL', () => {
  it('fails with StoreUnavailable', async () => {
    const pool = createPostgresPool({ url: UNREACHABLE_POSTGRES_URL, log: silentLog });
    const dir = tempDir();
    try {
      await expect(resolvePostgresOidcKeys(pool, { dataDir: dir.path }, silentLog)).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await pool.end();
      dir.remove();
    }
  });
});
