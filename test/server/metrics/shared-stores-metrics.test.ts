import { sample, scrape } from '../../support/metrics-text';
import { PhoneSide } from '../../support/phone-side';
import { describeWithPostgres } from '../../support/postgres';
import { describeWithRedis } from '../../support/redis';
import { sharedInstances } from '../../support/shared-instances';
import type { TestServer } from '../../support/test-server';
import { WsClient } from '../../support/ws-client';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

/** Two instances on one Redis and one PostgreSQL: what each one's /metrics says. */
describeWithPostgres('metrics of instances sharing Redis and PostgreSQL', (databaseUrl) => {
  describeWithRedis('two instances', () => {
    const servers = sharedInstances(databaseUrl, { METRICS_TOKEN: TOKEN });
    let a: TestServer;
    let b: TestServer;
    beforeAll(() => ({ a, b } = servers));

    it('times the Redis scripts and commands and the PostgreSQL statements it ran', async () => {
      const before = await scrape(a.url, TOKEN);
      const ticket = await (await fetch(`${a.url}/api/login/tickets`, { method: 'POST' })).json();
      await new PhoneSide(a.url).confirm(ticket.ticketId);
      const after = await scrape(a.url, TOKEN);
      const count = (text: string, store: string, operation: string) =>
        sample(text, 'mp_scan_login_store_seconds_count', { store, operation });
      // Create, scan, reserve, confirm: one Lua script each; reads are plain commands.
      expect(count(after, 'redis', 'script') - count(before, 'redis', 'script')).toBeGreaterThanOrEqual(4);
      expect(count(after, 'redis', 'command') - count(before, 'redis', 'command')).toBeGreaterThan(0);
      // The user's upsert and the login's record.
      expect(count(after, 'postgres', 'insert') - count(before, 'postgres', 'insert')).toBeGreaterThanOrEqual(2);
      expect(sample(after, 'mp_scan_login_store_seconds_sum', { store: 'redis', operation: 'script' })).toBeGreaterThan(0);
    });

    it('counts a login on the instance that confirmed it, not on the one whose page heard of it', async () => {
      const confirmed = async () =>
        Promise.all([a, b].map(async (server) => sample(await scrape(server.url, TOKEN), 'mp_scan_login_logins_total', { outcome: 'confirmed' })));
      const [onA, onB] = await confirmed();
      const ticket = await (await fetch(`${a.url}/api/login/tickets`, { method: 'POST' })).json();
      const page = await new WsClient(a.wsUrl).open();
      page.subscribe(ticket.ticketId, ticket.secret);
      await page.message(0);
      await new PhoneSide(b.url).confirm(ticket.ticketId);
      for (let index = 1; (await page.message(index, 5000)).status !== 'confirmed'; index++);
      page.close();
      expect(await confirmed()).toEqual([onA, onB + 1]);
    });
  });
});
