import { setTimeout as sleep } from 'node:timers/promises';
import { RelyingParty } from '../../e2e/relying-party';
import { describeWithPostgres } from '../../support/postgres';
import { describeWithRedis, PrivateRedis, uniquePrefix } from '../../support/redis';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * The provider's storage (Redis) going away: every answer that needs it is a 503 with a
 * code, in the provider's own vocabulary on its endpoints and in ours on the interaction's,
 * never its 500 server_error; the provider serves again once Redis is back.
 */
describeWithPostgres('the OpenID provider while its Redis is away', (databaseUrl) => {
  // A private redis-server, since this test stops it; run where the test Redis is, which has redis-server.
  describeWithRedis('answers 503 and resumes', () => {
    let redis: PrivateRedis;
    let server: TestServer;
    let rp: RelyingParty;
    const logs: Record<string, unknown>[] = [];

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      rp = await RelyingParty.listen('shop', 'shop-secret-that-is-long-enough-0123456789');
      const env = {
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: uniquePrefix(),
        DATABASE_URL: databaseUrl(),
        OIDC_CLIENTS: JSON.stringify([rp.registration]),
      };
      server = await startTestServer(env, undefined, (line) => logs.push(line));
      await rp.discover(`${server.publicUrl}/oidc`);
    });

    afterAll(async () => {
      await redis?.remove();
      await server?.close();
      await rp?.close();
    });

    const local = (url: string) => url.replace(server.publicUrl, server.url);

    it('answers the authorization, the token endpoint and the interaction 503 while Redis is down, and serves again once it is back', async () => {
      // An interaction begun while Redis was up: its cookie is valid throughout.
      const started = await fetch(local((await rp.authorization()).url), { redirect: 'manual' });
      const interaction = new URL(started.headers.get('location')!, server.publicUrl).href;
      const cookie = started.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      await redis.stop();

      const authorization = await fetch(local((await rp.authorization()).url), { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(authorization.status).toBe(503);
      expect(await authorization.text()).toContain('temporarily_unavailable');

      const token = await fetch(`${server.url}/oidc/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`shop:${rp.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'some-code', redirect_uri: rp.redirectUri }),
      });
      expect(token.status).toBe(503);
      expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });

      const details = () => fetch(local(`${interaction}/details`), { headers: { cookie } });
      const refused = await details();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
      expect(logs.filter((line) => line.msg === 'oidc provider error')).toEqual([]);
      expect(logs.some((line) => String(line.msg).startsWith('oidc provider storage unavailable'))).toBe(true);

      // A fresh redis-server: empty, so the interaction begun before is gone, said as such.
      await redis.start();
      const deadline = Date.now() + 10_000;
      let answer = await details();
      while (answer.status === 503 && Date.now() < deadline) {
        await sleep(100);
        answer = await details();
      }
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ error: { code: 'INTERACTION_NOT_FOUND' } });
      const again = await fetch(local((await rp.authorization()).url), { redirect: 'manual' });
      expect(again.status).toBe(303);
    });
  });
});
