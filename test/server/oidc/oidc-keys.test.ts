import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  COOKIE_KEYS_FILE,
  JWKS_FILE,
  Jwk,
  OidcKeysError,
  resolveOidcKeys,
  rsaThumbprint,
} from '../../../server/oidc/oidc-keys';
import { tempDir } from '../../support/temp-dir';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('resolveOidcKeys', () => {
  const silent = pino({ level: 'silent' });
  let dir: ReturnType<typeof tempDir>;
  let config: { dataDir: string };

  const signWith = (jwk: Jwk, data: Buffer) => sign('sha256', data, createPrivateKey({ key: jwk, format: 'jwk' }));
  const verifiesWith = (jwk: Jwk, data: Buffer, signature: Buffer) =>
    verify('sha256', data, createPublicKey({ key: jwk, format: 'jwk' }), signature);
  const expectRefused = (reason: RegExp, file: string) => {
    const attempt = () => resolveOidcKeys(config, silent);
    expect(attempt).toThrow(OidcKeysError);
    expect(attempt).toThrow(file);
    expect(attempt).toThrow(reason);
  };

  beforeEach(() => {
    dir = tempDir();
    config = { dataDir: join(dir.path, 'data') };
  });

  afterEach(() => {
    dir.remove();
  });

  it('generates both files once, private to the owner, and returns the same keys on the next start', () => {
    const first = resolveOidcKeys(config, silent);
    const written = [JWKS_FILE, COOKIE_KEYS_FILE].map((name) => readFileSync(join(config.dataDir, name), 'utf8'));
    for (const name of [JWKS_FILE, COOKIE_KEYS_FILE]) {
      expect(statSync(join(config.dataDir, name)).mode & 0o777).toBe(0o600);
    }

    expect(resolveOidcKeys(config, silent)).toEqual(first);
    expect([JWKS_FILE, COOKIE_KEYS_FILE].map((name) => readFileSync(join(config.dataDir, name), 'utf8'))).toEqual(
      written,
    );
  });

  it('generates a private RS256 signing key of 2048 bits whose kid is its RFC 7638 thumbprint', () => {
    const [key, ...others] = resolveOidcKeys(config, silent).jwks.keys;
    expect(others).toEqual([]);
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use', ...PRIVATE_MEMBERS].sort());
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: rsaThumbprint(key) });
    expect(createPrivateKey({ key, format: 'jwk' }).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('computes the thumbprint of the RFC 7638 example key', () => {
    const n = [
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWK',
      'RXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMic',
      'AtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3',
      'XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    ].join('');
    expect(rsaThumbprint({ kty: 'RSA', n, e: 'AQAB' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('keeps nothing private in the public JWK derived from the signing key', () => {
    const [key] = resolveOidcKeys(config, silent).jwks.keys;
    const published = createPublicKey({ key, format: 'jwk' }).export({ format: 'jwk' });
    expect(published).toEqual({ kty: 'RSA', n: key.n, e: key.e });
    for (const member of PRIVATE_MEMBERS) expect(published).not.toHaveProperty(member);
  });

  it('makes cookie keys of 32 random bytes, different in every DATA_DIR', () => {
    const { cookieKeys } = resolveOidcKeys(config, silent);
    expect(cookieKeys).toHaveLength(1);
    expect(Buffer.from(cookieKeys[0], 'base64url')).toHaveLength(32);
    expect(resolveOidcKeys({ dataDir: join(dir.path, 'other') }, silent).cookieKeys).not.toEqual(cookieKeys);
  });

  it('verifies a signature made before a restart and a rotation, and signs with the prepended key', () => {
    const data = Buffer.from('header.payload');
    const [old] = resolveOidcKeys(config, silent).jwks.keys;
    const signature = signWith(old, data);

    const file = join(config.dataDir, JWKS_FILE);
    const [newer] = resolveOidcKeys({ dataDir: join(dir.path, 'newer') }, silent).jwks.keys;
    writeFileSync(file, JSON.stringify({ keys: [newer, old] }));

    const { keys } = resolveOidcKeys(config, silent).jwks;
    expect(keys.map((key) => key.kid)).toEqual([newer.kid, old.kid]);
    const byKid = keys.find((key) => key.kid === old.kid);
    expect(byKid && verifiesWith(byKid, data, signature)).toBe(true);
    expect(verifiesWith(keys[0], data, signature)).toBe(false);
  });

  it('refuses a corrupt key file, naming it, without quoting it and without replacing it', () => {
    const [key] = resolveOidcKeys(config, silent).jwks.keys;
    const file = join(config.dataDir, JWKS_FILE);
    // An unquoted value: the kind of error JSON.parse reports with the text around it.
    const corrupt = readFileSync(file, 'utf8').replace(`"d": "${key.d}"`, `"d": ${key.d}`);
    writeFileSync(file, corrupt);

    expectRefused(/is not valid JSON/, file);
    expect(() => resolveOidcKeys(config, silent)).not.toThrow(String(key.d).slice(0, 8));
    expect(readFileSync(file, 'utf8')).toBe(corrupt);
  });

  it('refuses signing keys without alg and use, or without their private part', () => {
    const { jwks } = resolveOidcKeys(config, silent);
    const file = join(config.dataDir, JWKS_FILE);
    const { alg: _alg, ...withoutAlg } = jwks.keys[0];
    writeFileSync(file, JSON.stringify({ keys: [withoutAlg] }));
    expectRefused(/keys\[0\] needs "alg" and "use": "sig"/, file);

    const { d: _d, ...publicOnly } = jwks.keys[0];
    writeFileSync(file, JSON.stringify({ keys: [jwks.keys[0], publicOnly] }));
    expectRefused(/keys\[1\] is not a private key/, file);

    writeFileSync(file, JSON.stringify({ keys: [] }));
    expectRefused(/at least one JWK/, file);
  });

  it('refuses a cookie key file holding a short key', () => {
    resolveOidcKeys(config, silent);
    const file = join(config.dataDir, COOKIE_KEYS_FILE);
    writeFileSync(file, JSON.stringify(['x'.repeat(40), 'short']));
    expectRefused(/\[1\] must be a string of at least 32 characters/, file);
  });

  it('refuses a key file it cannot read, naming it', () => {
    const file = join(config.dataDir, JWKS_FILE);
    mkdirSync(file, { recursive: true });
    expectRefused(/cannot be read or created/, file);
  });

  it('logs the files it generates, and no key material', () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const { jwks, cookieKeys } = resolveOidcKeys(config, pino(sink));
    expect(logged).toContain(JWKS_FILE);
    expect(logged).toContain(COOKIE_KEYS_FILE);
    for (const secret of [jwks.keys[0].d, jwks.keys[0].p, cookieKeys[0]]) expect(logged).not.toContain(secret);
  });
});
