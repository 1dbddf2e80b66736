import { PhoneSide } from '../support/phone-side';
import { describeWithPostgres } from '../support/postgres';
import { describeWithRedis, PrivateRedis } from '../support/redis';
import { startTestServer, type TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

/**
 * Redis stopped and started again under a running instance: on a redis-server of the
 * test's own (persistent, as a production one is), never the machine's shared one.
 */
describeWithPostgres('an instance whose Redis goes away and comes back', (databaseUrl) => {
  describeWithRedis('Redis outage', () => {
    let redis: PrivateRedis;
    let server: TestServer;

    beforeAll(async () => {
      redis = await PrivateRedis.start({ persistent: true });
      server = await startTestServer({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl(), TOKEN_REDELIVERY_SECONDS: '0' });
    });

    afterAll(async () => {
      await server?.close();
      await redis?.remove();
    });

    const health = async () => {
      const answer = await fetch(`${server.url}/healthz`);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };

    async function waitFor(page: WsClient, status: string, from = 0) {
      for (let index = from; ; index++) {
        const message = await page.message(index, 15_000);
        if (message.status === status) return { message, index };
      }
    }

    it('says so in /healthz, 503s what needs Redis, then serves again by itself and the waiting page logs in', async () => {
      expect(await health()).toEqual({ status: 200, body: { status: 'ok', wechat: 'simulator', stores: { redis: 'up', postgres: 'up' } } });
      const created = await fetch(`${server.url}/api/login/tickets`, { method: 'POST' });
      const ticket = (await created.json()) as { ticketId: string; secret: string };
      const page = await new WsClient(server.wsUrl).open();
      page.subscribe(ticket.ticketId, ticket.secret);
      const phone = new PhoneSide(server.url);
      const scanToken = await phone.scan(ticket.ticketId);
      const scanned = await waitFor(page, 'scanned');

      await redis.stop();
      expect(await health()).toMatchObject({
        status: 503,
        body: { status: 'unavailable', stores: { redis: 'down', postgres: 'up' }, error: { code: 'STORE_UNAVAILABLE' } },
      });
      const refused = await fetch(`${server.url}/api/login/tickets`, { method: 'POST' });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
      const poll = await fetch(`${server.url}/api/login/tickets/${ticket.ticketId}`, {
        headers: { authorization: `Bearer ${ticket.secret}` },
      });
      expect(poll.status).toBe(503);
      const latecomer = await new WsClient(server.wsUrl).open();
      latecomer.subscribe(ticket.ticketId, ticket.secret);
      expect((await latecomer.closed).code).toBe(1013);

      await redis.start();
      // The connection retries at most every 5 s: it is back well within 20.
      let healthy = false;
      for (const deadline = Date.now() + 20_000; !healthy && Date.now() < deadline; ) {
        healthy = (await health()).status === 200;
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(healthy).toBe(true);

      await phone.confirm(ticket.ticketId, { scanToken, user: 'lin' });
      const { message } = await waitFor(page, 'confirmed', scanned.index + 1);
      expect(message.token).toEqual(expect.any(String));
      page.close();
    }, 60_000);
  });
});
