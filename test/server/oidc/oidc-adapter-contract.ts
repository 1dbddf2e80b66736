import { ManualClock, type Clock } from '../../../server/core/clock';
import { AlreadyConsumedError, type OidcAdapterClass } from '../../../server/oidc/oidc-adapter';

export interface OidcAdapterFixture {
  Adapter: OidcAdapterClass;
  /** The same storage through a connection of its own, as another process or instance has. */
  Peer: OidcAdapterClass;
  /** Releases what the adapters were built on; every test starts from empty storage. */
  cleanup(): void | Promise<void>;
}

/**
 * What every storage of the OpenID provider owes it (oidc-provider's adapter interface, and
 * the project's rules on top: expiry on the injected clock, consume settled in storage,
 * revocation by grant across models). Each adapter's test file runs this with a factory.
 */
export function describeOidcAdapterContract(name: string, makeAdapters: (clock: Clock) => Promise<OidcAdapterFixture>): void {
  describe(`${name} (OIDC adapter contract)`, () => {
    let clock: ManualClock;
    let fixture: OidcAdapterFixture;
    let Adapter: OidcAdapterClass;

    beforeEach(async () => {
      clock = new ManualClock();
      fixture = await makeAdapters(clock);
      Adapter = fixture.Adapter;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('finds what it upserted, and the last upsert wins', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c1', { jti: 'c1', scope: 'openid' }, 60);
      await codes.upsert('c1', { jti: 'c1', scope: 'openid profile' }, 60);
      expect(await codes.find('c1')).toEqual({ jti: 'c1', scope: 'openid profile' });
    });

    it('answers undefined for ids, uids, user codes and grants it never saw', async () => {
      const sessions = new Adapter('Session');
      expect(await sessions.find('nobody')).toBeUndefined();
      expect(await sessions.findByUid('nobody')).toBeUndefined();
      expect(await new Adapter('DeviceCode').findByUserCode('NONE-NONE')).toBeUndefined();
      await expect(sessions.destroy('nobody')).resolves.toBeUndefined();
      await expect(new Adapter('AccessToken').revokeByGrantId('no-grant')).resolves.toBeUndefined();
    });

    it('keeps models apart: one id under two model names is two models', async () => {
      await new Adapter('AccessToken').upsert('same', { kind: 'AccessToken' }, 60);
      await new Adapter('RefreshToken').upsert('same', { kind: 'RefreshToken' }, 60);
      expect(await new Adapter('AccessToken').find('same')).toEqual({ kind: 'AccessToken' });
      expect(await new Adapter('Session').find('same')).toBeUndefined();
      await new Adapter('AccessToken').destroy('same');
      expect(await new Adapter('AccessToken').find('same')).toBeUndefined();
      expect(await new Adapter('RefreshToken').find('same')).toEqual({ kind: 'RefreshToken' });
    });

    it('stops returning a model, by id and by uid, once expiresIn seconds have passed on the clock', async () => {
      const sessions = new Adapter('Session');
      await sessions.upsert('s1', { jti: 's1', uid: 'u1' }, 10);
      clock.advance(9_999);
      expect(await sessions.find('s1')).toBeDefined();
      expect(await sessions.findByUid('u1')).toBeDefined();
      clock.advance(1);
      expect(await sessions.find('s1')).toBeUndefined();
      expect(await sessions.findByUid('u1')).toBeUndefined();
    });

    it('gives a model a new lifetime when it is upserted again', async () => {
      const sessions = new Adapter('Session');
      await sessions.upsert('s1', { jti: 's1' }, 10);
      clock.advance(9_000);
      await sessions.upsert('s1', { jti: 's1' }, 10);
      clock.advance(9_000);
      expect(await sessions.find('s1')).toEqual({ jti: 's1' });
    });

    it('keeps a model upserted without expiresIn (a Client) for good', async () => {
      const clients = new Adapter('Client');
      await clients.upsert('rp', { client_id: 'rp' });
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      expect(await clients.find('rp')).toEqual({ client_id: 'rp' });
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

    it('follows an upsert that changes the uid, and forgets a destroyed model', async () => {
      const sessions = new Adapter('Session');
      await sessions.upsert('s1', { uid: 'old' }, 60);
      await sessions.upsert('s1', { uid: 'new' }, 60);
      expect(await sessions.findByUid('old')).toBeUndefined();
      expect(await sessions.findByUid('new')).toEqual({ uid: 'new' });
      await sessions.destroy('s1');
      expect(await sessions.find('s1')).toBeUndefined();
      expect(await sessions.findByUid('new')).toBeUndefined();
    });

    it('marks a consumed model with the epoch second on the clock, visible in find from any connection', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c1', { jti: 'c1', grantId: 'g1' }, 60);
      clock.advance(1500);
      await codes.consume('c1');
      const consumed = { jti: 'c1', grantId: 'g1', consumed: Math.floor(clock.now() / 1000) };
      expect(await codes.find('c1')).toEqual(consumed);
      expect(await new fixture.Peer('AuthorizationCode').find('c1')).toEqual(consumed);
    });

    it('keeps a model consumed when a copy read before the consume is upserted again', async () => {
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

    it('lets only one of two connections consume a code', async () => {
      await new Adapter('AuthorizationCode').upsert('c1', { jti: 'c1' }, 60);
      const results = await Promise.allSettled([
        new Adapter('AuthorizationCode').consume('c1'),
        new fixture.Peer('AuthorizationCode').consume('c1'),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    });

    it('refuses to consume a missing or expired model, and a used request_uri as invalid_request_uri', async () => {
      const requests = new Adapter('PushedAuthorizationRequest');
      await expect(requests.consume('nothing')).rejects.toMatchObject({ message: 'invalid_request_uri' });
      await requests.upsert('p1', { jti: 'p1' }, 1);
      clock.advance(1000);
      await expect(requests.consume('p1')).rejects.toBeInstanceOf(AlreadyConsumedError);
    });

    it('revokes every model carrying the grant id, across models, whichever model is asked', async () => {
      await new Adapter('AuthorizationCode').upsert('c1', { grantId: 'g1' }, 60);
      await new Adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 60);
      await new Adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 60);
      await new Adapter('Interaction').upsert('i1', { grantId: 'g1', uid: 'i1' }, 60);
      await new Adapter('RefreshToken').upsert('r2', { grantId: 'g2' }, 60);
      await new Adapter('Grant').upsert('g1', { jti: 'g1' }, 600);

      await new Adapter('AccessToken').revokeByGrantId('g1');
      expect(await new Adapter('AuthorizationCode').find('c1')).toBeUndefined();
      expect(await new Adapter('AccessToken').find('a1')).toBeUndefined();
      expect(await new Adapter('RefreshToken').find('r1')).toBeUndefined();
      expect(await new Adapter('Interaction').findByUid('i1')).toBeUndefined();
      expect(await new Adapter('RefreshToken').find('r2')).toBeDefined();
      // The Grant is the provider's to destroy (its revokeGrantPolicy decides).
      expect(await new Adapter('Grant').find('g1')).toBeDefined();
    });

    it('revokes through any connection what another saved, and spares a model moved to another grant', async () => {
      await new Adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 60);
      await new Adapter('AccessToken').upsert('a2', { grantId: 'g1' }, 60);
      await new Adapter('AccessToken').upsert('a2', { grantId: 'g2' }, 60);
      await new fixture.Peer('RefreshToken').revokeByGrantId('g1');
      expect(await new Adapter('AccessToken').find('a1')).toBeUndefined();
      expect(await new Adapter('AccessToken').find('a2')).toEqual({ grantId: 'g2' });
    });
  });
}
