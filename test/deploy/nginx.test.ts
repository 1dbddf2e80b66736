import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../../config/config';
import { describeWithNginx, Nginx, NGINX_SITE } from '../support/nginx';
import { PhoneSide } from '../support/phone-side';
import { describeWithPostgres } from '../support/postgres';
import { describeWithRedis } from '../support/redis';
import { freePort } from '../support/server-process';
import { tempDir } from '../support/temp-dir';
import { startTestServer, type TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';
import { Instances } from './instances';

type Json = Record<string, unknown>;
interface Ticket {
  ticketId: string;
  secret: string;
}

describe('deploy/nginx/mp-scan-login.conf', () => {
  it('lets an idle login socket go unanswered for two ping intervals, so one late ping does not cut it', () => {
    const site = readFileSync(NGINX_SITE, 'utf8');
    const timeouts = [...site.matchAll(/proxy_(?:read|send)_timeout\s+(\d+)s;/g)].map((match) => Number(match[1]) * 1000);
    expect(timeouts).toHaveLength(2);
    for (const timeout of timeouts) expect(timeout).toBeGreaterThan(2 * DEFAULT_LIMITS.wsPingIntervalMs);
  });
});

async function post(url: string, body: object = {}): Promise<Json> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Json;
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

async function ticketVia(base: string): Promise<Ticket> {
  return (await post(`${base}/api/login/tickets`)) as unknown as Ticket;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request by node's own clients, which (unlike fetch) may choose the Host header and the local address. */
function send(url: string, options: HttpsRequestOptions = {}): Promise<Answer> {
  const client = url.startsWith('https:') ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const sent = client(url, options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** A ticket created by a client at `localAddress` (127.0.0.2 is loopback too) that sends `headers`. */
async function ticketFrom(localAddress: string, base: string, headers: Record<string, string>): Promise<Ticket> {
  const created = await send(`${base}/api/login/tickets`, { method: 'POST', localAddress, headers });
  expect(created.status).toBe(201);
  return JSON.parse(created.body) as Ticket;
}

/** A page's socket, subscribed, past its first status (the snapshot). */
async function pageOn(nginx: Nginx, ticket: Ticket): Promise<WsClient> {
  const page = await new WsClient(nginx.wsUrl).open();
  page.subscribe(ticket.ticketId, ticket.secret);
  expect(await page.message(0)).toMatchObject({ type: 'status', status: 'pending' });
  return page;
}

describeWithPostgres('nginx in front of two instances', (databaseUrl) => {
  describeWithRedis('on Redis and PostgreSQL', () => {
    describeWithNginx("with Debian's nginx and deploy/nginx/mp-scan-login.conf", () => {
      let instances: Instances;
      // The one site file rendered twice, each time with the other instance as `backup`:
      // the balancer put the page on A (viaA) and the phone on B (viaB), so the steps land
      // where the test needs them while every one of them still goes through nginx.
      let viaA: Nginx;
      let viaB: Nginx;

      beforeAll(async () => {
        const port = await freePort();
        instances = await Instances.start({
          databaseUrl: databaseUrl(),
          publicUrl: `http://127.0.0.1:${port}`,
          // Strictly once, so that a second delivery anywhere would show; frequent pings for the idle test.
          env: { TOKEN_REDELIVERY_SECONDS: '0', WS_PING_INTERVAL_MS: '1000' },
        });
        const { a, b } = instances;
        viaA = await Nginx.start({ listenPort: port, upstreams: [{ port: a.port }, { port: b.port, backup: true }] });
        viaB = await Nginx.start({ upstreams: [{ port: b.port }, { port: a.port, backup: true }] });
      }, 120_000);

      afterAll(async () => {
        await viaA?.stop();
        await viaB?.stop();
        await instances?.stop();
      });

      it('upgrades the login socket through nginx, which then carries the status', async () => {
        const ticket = await ticketVia(viaA.url);
        const page = await pageOn(viaA, ticket);
        await new PhoneSide(viaA.url).scan(ticket.ticketId);
        expect(await page.message(1)).toMatchObject({ status: 'scanned' });
        page.close();
      });

      it('shows the phone the address nginx saw, never an X-Forwarded-For the client wrote', async () => {
        // The client is 127.0.0.2; nginx reaches the instances from 127.0.0.1.
        const forged = { 'x-forwarded-for': '203.0.113.9' };
        const throughNginx = await ticketFrom('127.0.0.2', viaA.url, forged);
        const aroundNginx = await ticketFrom('127.0.0.2', instances.a.url, forged);
        const requester = async (ticket: Ticket) =>
          ((await post(`${viaB.url}/api/login/tickets/${ticket.ticketId}/scan`)).requester as Json).ip;
        expect(await requester(throughNginx)).toBe('127.0.0.2');
        // Why the instances listen on 127.0.0.1 only: reached directly, TRUST_PROXY=1 believes the client.
        expect(await requester(aroundNginx)).toBe('203.0.113.9');
      });

      it('pushes the token to the page waiting on A when the phone scans and confirms on B', async () => {
        const ticket = await ticketVia(viaA.url);
        const page = await pageOn(viaA, ticket);
        const phone = new PhoneSide(viaB.url);
        const scanToken = await phone.scan(ticket.ticketId);
        expect(await page.message(1)).toMatchObject({ status: 'scanned' });
        // The phone's wx.login code comes from B, which relays it to the one shared simulator.
        await phone.confirm(ticket.ticketId, { scanToken, user: 'zoe' });
        const confirmed = await page.message(2);
        expect(confirmed).toMatchObject({ status: 'confirmed', token: expect.any(String) });
        const me = await fetch(`${viaB.url}/api/me`, { headers: { authorization: `Bearer ${String(confirmed.token)}` } });
        expect(me.status).toBe(200);
        page.close();
      });

      it('confirms on B with a wx.login code the phone got through A: both instances share one simulator', async () => {
        const ticket = await ticketVia(viaA.url);
        const { code } = await post(`${viaA.url}/__wechat__/sim/login`, { user: 'una' });
        const { scanToken } = await post(`${viaB.url}/api/login/tickets/${ticket.ticketId}/scan`);
        const confirmed = await post(`${viaB.url}/api/login/tickets/${ticket.ticketId}/confirm`, { scanToken, code });
        expect(confirmed).toMatchObject({ status: 'confirmed', user: { id: expect.any(String) } });
      });

      it('answers a poll through B for a ticket made through A, the token once', async () => {
        const ticket = await ticketVia(viaA.url);
        await new PhoneSide(viaB.url).confirm(ticket.ticketId, { user: 'yan' });
        const poll = async (nginx: Nginx) => {
          const response = await fetch(`${nginx.url}/api/login/tickets/${ticket.ticketId}`, {
            headers: { authorization: `Bearer ${ticket.secret}` },
          });
          return (await response.json()) as Json;
        };
        expect(await poll(viaB)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
        const again = await poll(viaA);
        expect(again).toMatchObject({ status: 'confirmed' });
        expect(again).not.toHaveProperty('token');
      });

      it('makes one user of one WeChat user whether A or B confirms', async () => {
        const ids = [];
        for (const nginx of [viaA, viaB]) {
          const ticket = await ticketVia(nginx.url);
          ids.push((await new PhoneSide(nginx.url).confirm(ticket.ticketId, { user: 'xia' })).id);
        }
        expect(ids[0]).toEqual(expect.any(String));
        expect(ids[1]).toBe(ids[0]);
      });

      it('closes the page socket on A with 4409 when the ticket is subscribed through B', async () => {
        const ticket = await ticketVia(viaA.url);
        const first = await pageOn(viaA, ticket);
        const second = await new WsClient(viaB.wsUrl).open();
        second.subscribe(ticket.ticketId, ticket.secret);
        await second.message(0);
        expect(await first.closed).toMatchObject({ code: 4409 });
        second.close();
      });

      describe('an idle socket', () => {
        let quiet: TestServer;
        let pinged: Nginx;
        let unpinged: Nginx;

        // The shipped 75 s rendered down to 2 s, in front of A (a ping a second) and of a
        // server that pings every 30 s (the default), to show the timeout is in force.
        beforeAll(async () => {
          quiet = await startTestServer();
          pinged = await Nginx.start({ upstreams: [{ port: instances.a.port }], socketTimeoutSeconds: 2 });
          unpinged = await Nginx.start({ upstreams: [{ port: Number(new URL(quiet.url).port) }], socketTimeoutSeconds: 2 });
        });

        afterAll(async () => {
          await pinged?.stop();
          await unpinged?.stop();
          await quiet?.close();
        });

        it("outlives nginx's read timeout because the instance pings it, and still gets the token", async () => {
          const ticket = await ticketVia(pinged.url);
          const page = await pageOn(pinged, ticket);
          let pings = 0;
          page.onPing(() => (pings += 1));
          const control = await pageOn(unpinged, await ticketVia(unpinged.url));
          const outcome = (socket: WsClient) => Promise.race([socket.closed, new Promise((resolve) => setTimeout(resolve, 5000, 'open'))]);

          const [pageAfter, controlAfter] = await Promise.all([outcome(page), outcome(control)]);
          expect(controlAfter).toMatchObject({ code: 1006 });
          expect(pageAfter).toBe('open');
          expect(pings).toBeGreaterThanOrEqual(3);
          await new PhoneSide(viaB.url).confirm(ticket.ticketId, { user: 'ida' });
          expect(await page.message(1)).toMatchObject({ status: 'scanned' });
          expect(await page.message(2)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
          page.close();
        }, 30_000);
      });

      describe('with its TLS lines uncommented', () => {
        let certs: ReturnType<typeof tempDir>;
        let certificate: string;
        let tls: Nginx;

        beforeAll(async () => {
          certs = tempDir('mp-scan-login-tls-');
          certificate = join(certs.path, 'fullchain.pem');
          const key = join(certs.path, 'privkey.pem');
          const made = spawnSync('openssl', [
            ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', certificate],
            ...['-subj', '/CN=login.example.com', '-addext', 'subjectAltName=DNS:login.example.com'],
          ]);
          if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${String(made.stderr)}`);
          tls = await Nginx.start({ upstreams: [{ port: instances.a.port }], tls: { port: await freePort(), certificate, key } });
        });

        afterAll(async () => {
          await tls?.stop();
          certs?.remove();
        });

        it('answers https with the certificate and sends plain http over to https', async () => {
          const host = { host: 'login.example.com' };
          const secure = await send(`https://127.0.0.1:${tls.tlsPort}/healthz`, {
            ca: readFileSync(certificate),
            servername: host.host,
            headers: host,
          });
          expect(secure.status).toBe(200);
          expect(JSON.parse(secure.body)).toMatchObject({ status: 'ok' });
          const plain = await send(`${tls.url}/healthz`, { headers: host });
          expect(plain.status).toBe(301);
          expect(plain.headers.location).toBe('https://login.example.com/healthz');
        });
      });
    });
  });
});
