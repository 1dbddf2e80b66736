import { join } from 'node:path';
import { ManualClock } from '../../../server/core/clock';
import {
  AlreadyConsumedError,
  OidcAdapterClass,
  sqliteOidcAdapter,
} from '../../../server/oidc/sqlite-oidc-adapter';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { tempDir } from '../../support/temp-dir';

describe('sqliteOidcAdapter', () => {
  let clock: ManualClock;
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let db: SqliteDatabase;
  let Adapter: OidcAdapterClass;

  const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM oidc_models').get() as { n: number }).n;

  beforeEach(() => {
    clock = new ManualClock();
    dir = tempDir();
    file = join(dir.path, 'oidc.db');
    db = openSqlite(file);
    Adapter = sqliteOidcAdapter(db, clock);
  });

  afterEach(() => {
    if (db.open) db.close();
    dir.remove();
  });

  it('finds what it upserted, and the last upsert wins', async () => {
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', { jti: 'c1', scope: 'openid' }, 60);
    await codes.upsert('c1', { jti: 'c1', scope: 'openid profile' }, 60);
    expect(await codes.find('c1')).toEqual({ jti: 'c1', scope: 'openid profile' });
    expect(await codes.find('c2')).toBeUndefined();
  });

  it('keeps models apart: one id under two model names is two rows', async () => {
    await new Adapter('AccessToken').upsert('same', { kind: 'AccessToken' }, 60);
    await new Adapter('RefreshToken').upsert('same', { kind: 'RefreshToken' }, 60);
    expect(await new Adapter('AccessToken').find('same')).toEqual({ kind: 'AccessToken' });
    expect(await new Adapter('Session').find('same')).toBeUndefined();
    await new Adapter('AccessToken').destroy('same');
    expect(await new Adapter('RefreshToken').find('same')).toEqual({ kind: 'RefreshToken' });
  });

  it('stops returning a row once expiresIn seconds have passed on the clock, before any sweep', async () => {
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { jti: 's1', uid: 'u1' }, 10);
    clock.advance(9_999);
    expect(await sessions.find('s1')).toBeDefined();
    clock.advance(1);
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toBeUndefined();
    expect(rows()).toBe(1);
  });

  it('keeps a row upserted without expiresIn (a Client) for good', async () => {
    const clients = new Adapter('Client');
    await clients.upsert('rp', { client_id: 'rp' });
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(await clients.find('rp')).toEqual({ client_id: 'rp' });
  });

  it('sweeps expired rows on write, in batches of at most 100', async () => {
    const interactions = new Adapter('Interaction');
    for (let i = 0; i < 150; i++) await interactions.upsert(`i${i}`, { jti: `i${i}` }, 1);
    await new Adapter('Client').upsert('rp', { client_id: 'rp' });
    clock.advance(1000);
    await interactions.upsert('fresh', { jti: 'fresh' }, 60);
    expect(rows()).toBe(150 + 2 - 100);
    await interactions.upsert('fresh', { jti: 'fresh' }, 60);
    expect(rows()).toBe(2);
    expect(await new Adapter('Client').find('rp')).toBeDefined();
  });

  it('finds a session by uid and a device code by user code, within their model only', async () => {
    await new Adapter('Session').upsert('s1', { jti: 's1', uid: 'uid-1' }, 60);
    await new Adapter('DeviceCode').upsert('d1', { jti: 'd1', userCode: 'ABCD-EFGH' }, 60);
    expect(await new Adapter('Session').findByUid('uid-1')).toEqual({ jti: 's1', uid: 'uid-1' });
    expect(await new Adapter('DeviceCode').findByUserCode('ABCD-EFGH')).toEqual({ jti: 'd1', userCode: 'ABCD-EFGH' });
    expect(await new Adapter('Session').findByUid('uid-2')).toBeUndefined();
    expect(await new Adapter('Interaction').findByUid('uid-1')).toBeUndefined();
    expect(await new Adapter('Session').findByUserCode('ABCD-EFGH')).toBeUndefined();
  });

  it('follows an upsert that changes the uid, and forgets a destroyed row', async () => {
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { uid: 'old' }, 60);
    await sessions.upsert('s1', { uid: 'new' }, 60);
    expect(await sessions.findByUid('old')).toBeUndefined();
    expect(await sessions.findByUid('new')).toEqual({ uid: 'new' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('new')).toBeUndefined();
    await expect(sessions.destroy('s1')).resolves.toBeUndefined();
  });

  it('marks a consumed row with the epoch second on the clock, visible in find', async () => {
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', { jti: 'c1', grantId: 'g1' }, 60);
    clock.advance(1500);
    await codes.consume('c1');
    expect(await codes.find('c1')).toEqual({ jti: 'c1', grantId: 'g1', consumed: Math.floor(clock.now() / 1000) });
  });

  it('keeps a row consumed when a copy read before the consume is upserted again', async () => {
    const tokens = new Adapter('RefreshToken');
    await tokens.upsert('r1', { jti: 'r1' }, 60);
    await tokens.consume('r1');
    await tokens.upsert('r1', { jti: 'r1', gty: 'refresh_token' }, 60);
    expect(await tokens.find('r1')).toMatchObject({ gty: 'refresh_token', consumed: expect.any(Number) });
  });

  it('refuses a second consume as invalid_grant and revokes the grant, its tokens and nothing else', async () => {
    await new Adapter('Grant').upsert('g1', { jti: 'g1', accountId: 'u' }, 600);
    await new Adapter('AuthorizationCode').upsert('c1', { jti: 'c1', grantId: 'g1' }, 60);
    await new Adapter('AccessToken').upsert('a1', { jti: 'a1', grantId: 'g1' }, 60);
    await new Adapter('AccessToken').upsert('a2', { jti: 'a2', grantId: 'g2' }, 60);
    const codes = new Adapter('AuthorizationCode');
    await codes.consume('c1');

    const refused = codes.consume('c1');
    await expect(refused).rejects.toBeInstanceOf(AlreadyConsumedError);
    await expect(refused).rejects.toMatchObject({ message: 'invalid_grant', statusCode: 400, expose: true });
    expect(await new Adapter('Grant').find('g1')).toBeUndefined();
    expect(await new Adapter('AccessToken').find('a1')).toBeUndefined();
    expect(await new Adapter('AccessToken').find('a2')).toBeDefined();
  });

  it('lets only one of two connections to the file consume a code', async () => {
    const other = openSqlite(file);
    try {
      await new Adapter('AuthorizationCode').upsert('c1', { jti: 'c1' }, 60);
      const results = await Promise.allSettled([
        new Adapter('AuthorizationCode').consume('c1'),
        new (sqliteOidcAdapter(other, clock))('AuthorizationCode').consume('c1'),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    } finally {
      other.close();
    }
  });

  it('refuses to consume a missing or expired row, and a used request_uri as invalid_request_uri', async () => {
    const requests = new Adapter('PushedAuthorizationRequest');
    await expect(requests.consume('nothing')).rejects.toMatchObject({ message: 'invalid_request_uri' });
    await requests.upsert('p1', { jti: 'p1' }, 1);
    clock.advance(1000);
    await expect(requests.consume('p1')).rejects.toBeInstanceOf(AlreadyConsumedError);
  });

  it('revokes every row carrying the grant id, across models, whichever model is asked', async () => {
    await new Adapter('AuthorizationCode').upsert('c1', { grantId: 'g1' }, 60);
    await new Adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 60);
    await new Adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 60);
    await new Adapter('RefreshToken').upsert('r2', { grantId: 'g2' }, 60);
    await new Adapter('Grant').upsert('g1', { jti: 'g1' }, 600);

    await new Adapter('AccessToken').revokeByGrantId('g1');
    expect(await new Adapter('AuthorizationCode').find('c1')).toBeUndefined();
    expect(await new Adapter('AccessToken').find('a1')).toBeUndefined();
    expect(await new Adapter('RefreshToken').find('r1')).toBeUndefined();
    expect(await new Adapter('RefreshToken').find('r2')).toBeDefined();
    // The Grant is the provider's to destroy (its revokeGrantPolicy decides).
    expect(await new Adapter('Grant').find('g1')).toBeDefined();
  });

  it('finds its rows, consumed state included, after the file is closed and reopened', async () => {
    await new Adapter('Session').upsert('s1', { uid: 'u1' }, 60);
    await new Adapter('AuthorizationCode').upsert('c1', { jti: 'c1' }, 60);
    await new Adapter('AuthorizationCode').consume('c1');
    db.close();

    db = openSqlite(file);
    const Reopened = sqliteOidcAdapter(db, clock);
    expect(await new Reopened('Session').findByUid('u1')).toEqual({ uid: 'u1' });
    expect(await new Reopened('AuthorizationCode').find('c1')).toHaveProperty('consumed');
    await expect(new Reopened('AuthorizationCode').consume('c1')).rejects.toBeInstanceOf(AlreadyConsumedError);
  });
});
