import pg from 'pg';
import type { RunningSimulator } from '../../server/wechat/simulator/simulator-server';
import { PhoneSide } from '../support/phone-side';
import { describeWithPostgres } from '../support/postgres';
import { describeWithRedis } from '../support/redis';
import { sharedInstances } from '../support/shared-instances';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

/**
 * Two instances of the server on one Redis (tickets, push bus) and one PostgreSQL (users),
 * both talking to one shared WeChat simulator (npm run simulator): any instance serves any
 * step, and a wx.login code the phone got through either instance works on both.
 */
describeWithPostgres('two instances on Redis and PostgreSQL', (databaseUrl) => {
  describeWithRedis('any instance serves any step', () => {
    // Strictly once, so that a second delivery anywhere would show.
    const servers = sharedInstances(databaseUrl, { TOKEN_REDELIVERY_SECONDS: '0' });
    let wechat: RunningSimulator;
    let a: TestServer;
    let b: TestServer;
    beforeAll(() => ({ a, b, wechat } = servers));

    async function ticketOn(server: TestServer) {
      const response = await fetch(`${server.url}/api/login/tickets`, { method: 'POST' });
      return (await response.json()) as { ticketId: string; secret: string };
    }

    async function waitFor(page: WsClient, status: string) {
      for (let index = 0; ; index++) {
        const message = await page.message(index, 5000);
        if (message.status === status) return message;
      }
    }

    it('pushes the token to the page waiting on A when the phone scans and confirms on B', async () => {
      const ticket = await ticketOn(a);
      const page = await new WsClient(a.wsUrl).open();
      page.subscribe(ticket.ticketId, ticket.secret);
      const phone = new PhoneSide(b.url);
      const scanToken = await phone.scan(ticket.ticketId);
      await waitFor(page, 'scanned');
      await phone.confirm(ticket.ticketId, { scanToken, user: 'zoe' });
      const confirmed = await waitFor(page, 'confirmed');
      expect(confirmed.token).toEqual(expect.any(String));
      const me = await fetch(`${b.url}/api/me`, { headers: { authorization: `Bearer ${confirmed.token}` } });
      expect(me.status).toBe(200);
      page.close();
    });

    it('answers a poll on B for a ticket made on A, the token once', async () => {
      const ticket = await ticketOn(a);
      await new PhoneSide(b.url).confirm(ticket.ticketId, { user: 'yan' });
      const poll = () => fetch(`${b.url}/api/login/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${ticket.secret}` } });
      expect(await (await poll()).json()).toMatchObject({ status: 'confirmed', token: expect.any(String) });
      expect(await (await poll()).json()).not.toHaveProperty('token');
    });

    it('makes one user of one WeChat user whichever instance confirms', async () => {
      const users = [];
      for (const [creator, confirmer] of [[a, a], [b, b], [a, b]]) {
        const ticket = await ticketOn(creator);
        users.push(await new PhoneSide(confirmer.url).confirm(ticket.ticketId, { user: 'xia' }));
      }
      expect(new Set(users.map((user) => user.id)).size).toBe(1);
    });

    it('closes the page socket on A with 4409 when the ticket is subscribed on B', async () => {
      const ticket = await ticketOn(a);
      const first = await new WsClient(a.wsUrl).open();
      first.subscribe(ticket.ticketId, ticket.secret);
      await first.message(0);
      const second = await new WsClient(b.wsUrl).open();
      second.subscribe(ticket.ticketId, ticket.secret);
      await second.message(0);
      expect((await first.closed).code).toBe(4409);
      second.close();
    });

    it('confirms on B with a wx.login code the phone got through A', async () => {
      const ticket = await ticketOn(b);
      const scanToken = await new PhoneSide(b.url).scan(ticket.ticketId);
      const login = await fetch(`${a.url}/__wechat__/sim/login`, { method: 'POST', body: JSON.stringify({ user: 'wen' }) });
      const { code } = (await login.json()) as { code: string };
      const confirm = await fetch(`${b.url}/api/login/tickets/${ticket.ticketId}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scanToken, code }),
      });
      expect(confirm.status).toBe(200);
    });

    it('fetches a code image once: a reload on B is served what A fetched', async () => {
      const ticket = await ticketOn(a);
      const fetchesBefore = wechat.simulator.callCount('getwxacodeunlimit');
      const onA = await fetch(`${a.url}/api/login/tickets/${ticket.ticketId}/qrcode`);
      const imageOnA = Buffer.from(await onA.arrayBuffer());
      // A hands the image to Redis once WeChat answered; give that write its moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const onB = await fetch(`${b.url}/api/login/tickets/${ticket.ticketId}/qrcode`);
      expect(onB.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await onB.arrayBuffer()).equals(imageOnA)).toBe(true);
      expect(wechat.simulator.callCount('getwxacodeunlimit') - fetchesBefore).toBe(1);
    });

    it('lets one of 50 confirms racing over both instances win: one jscode2session, one new user row', async () => {
      const users = new pg.Client(databaseUrl());
      await users.connect();
      const countUsers = async () => Number((await users.query('SELECT count(*) AS n FROM users')).rows[0].n);
      try {
        const before = await countUsers();
        const ticket = await ticketOn(a);
        const scanToken = await new PhoneSide(b.url).scan(ticket.ticketId);
        // Fifty phones' codes, each a different WeChat user: two winners would make two rows.
        const codes = Array.from({ length: 50 }, (_, index) => wechat.simulator.login(`racer-${index}`));
        const exchangesBefore = wechat.simulator.callCount('jscode2session');
        const answers = await Promise.all(
          codes.map((code, index) =>
            fetch(`${(index % 2 === 0 ? a : b).url}/api/login/tickets/${ticket.ticketId}/confirm`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ scanToken, code }),
            }),
          ),
        );
        const statuses = answers.map((answer) => answer.status);
        expect(statuses.filter((status) => status === 200)).toHaveLength(1);
        expect(statuses.filter((status) => status === 409)).toHaveLength(49);
        expect(wechat.simulator.callCount('jscode2session') - exchangesBefore).toBe(1);
        expect(await countUsers()).toBe(before + 1);
      } finally {
        await users.end();
      }
    });
  });
});
