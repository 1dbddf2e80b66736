import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { JWKS_FILE } from '../../../server/oidc/oidc-keys';
import { RelyingParty } from '../../e2e/relying-party';
import { describeWithPostgres } from '../../support/postgres';
import { deleteKeys, describeWithRedis, openTestRedis, TEST_REDIS_URL, uniquePrefix } from '../../support/redis';
import { startTestServer, type TestServer } from '../../support/test-server';
import { BrowserlessLogin } from './browserless-login';
import { RoutingProxy } from './routing-proxy';

/**
 * The OpenID provider on two instances sharing one Redis (its models) and one PostgreSQL
 * (its keys, and the users). The issuer is one URL, a proxy in front of both that routes
 * by path: the authorization (and its resumption) to A, everything else (the interaction,
 * the phone, discovery, token, jwks) to B. So the interaction cookie A set is read by B,
 * the code B's interaction issued is redeemed at B from a grant A wrote, and the ID token
 * verifies against either instance's keys.
 */
describeWithPostgres('the OpenID provider on two instances', (databaseUrl) => {
  describeWithRedis('any instance serves any step of an authorization', () => {
    const prefix = uniquePrefix();
    let a: TestServer;
    let b: TestServer;
    let proxy: RoutingProxy;
    let rp: RelyingParty;

    beforeAll(async () => {
      proxy = await RoutingProxy.start((path) => (path.startsWith('/oidc/auth') ? a.url : b.url));
      rp = await RelyingParty.listen('partner', 'partner-secret-that-is-long-enough-0123456789');
      const env = {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        DATABASE_URL: databaseUrl(),
        PUBLIC_URL: proxy.url,
        // Not first-party: the consent step is one more interaction to serve elsewhere.
        OIDC_CLIENTS: JSON.stringify([{ ...rp.registration, client_name: 'Partner', first_party: false }]),
      };
      [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
      await rp.discover(`${proxy.url}/oidc`);
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await proxy?.close();
      await rp?.close();
      const redis = await openTestRedis(prefix);
      await deleteKeys(redis, prefix);
      await redis.close();
    });

    const jwksOf = async (server: TestServer) => (await (await fetch(`${server.url}/oidc/jwks`)).json()) as JSONWebKeySet;

    it('authorizes on A, logs in and consents on B, redeems on B; the ID token verifies with either instance', async () => {
      const request = await rp.authorization();
      const callback = await new BrowserlessLogin(proxy.url, proxy.url).logIn(request.url, 'nora');
      expect(proxy.servedBy('/oidc/auth?')).toBe(a.url);
      expect(proxy.servedBy('/oidc/auth/')).toBe(a.url);
      for (const step of ['/oidc/interaction/', '/api/login/tickets/']) expect(proxy.servedBy(step)).toBe(b.url);
      expect(proxy.served.filter((entry) => entry.path.endsWith('/consent'))).toHaveLength(1);

      const tokens = await rp.exchange(callback, request);
      expect(proxy.servedBy('/oidc/token')).toBe(b.url);
      const [jwksA, jwksB] = await Promise.all([jwksOf(a), jwksOf(b)]);
      expect(jwksA).toEqual(jwksB);
      for (const jwks of [jwksA, jwksB]) {
        const { payload } = await jwtVerify(tokens.id_token!, createLocalJWKSet(jwks), { issuer: `${proxy.url}/oidc`, audience: 'partner' });
        expect(payload).toMatchObject({ nickname: 'nora', sub: expect.any(String) });
      }
      const userinfo = await fetch(`${a.url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(await userinfo.json()).toMatchObject({ sub: tokens.claims()!.sub, nickname: 'nora' });
    });

    it('refuses on A a code redeemed on B, and the revocation reaches the access token on both', async () => {
      const request = await rp.authorization();
      const callback = await new BrowserlessLogin(proxy.url, proxy.url).logIn(request.url, 'otto');
      const tokens = await rp.exchange(callback, request);

      const reuse = await fetch(`${a.url}/oidc/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`partner:${rp.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: new URL(callback).searchParams.get('code')!,
          redirect_uri: rp.redirectUri,
          code_verifier: request.verifier,
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
      for (const server of [a, b]) {
        const userinfo = await fetch(`${server.url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        expect(userinfo.status).toBe(401);
      }
    });

    it("keeps the provider's models in Redis under the deployment's prefix, and its keys in PostgreSQL, not in DATA_DIR", async () => {
      const redis = await openTestRedis(prefix);
      try {
        const models = await redis.client.keys(`${prefix}oidc:*`);
        expect(models.some((key) => key.startsWith(`${prefix}oidc:Session:`))).toBe(true);
        expect(models.some((key) => key.startsWith(`${prefix}oidc:Grant:`))).toBe(true);
      } finally {
        await redis.close();
      }
      const database = new pg.Client(databaseUrl());
      await database.connect();
      try {
        const { rows } = await database.query("SELECT value FROM oidc_keys WHERE name = 'jwks'");
        expect(rows[0].value.keys.map((key: { kid: string }) => key.kid)).toEqual((await jwksOf(a)).keys.map((key) => key.kid));
      } finally {
        await database.end();
      }
      for (const server of [a, b]) expect(existsSync(join(server.dataDir, JWKS_FILE))).toBe(false);
    });
  });
});
