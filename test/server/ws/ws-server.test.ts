import { connect } from 'node:net';
import { startTestServer, TestServer } from '../../support/test-server';
import { WsClient } from '../../support/ws-client';

describe('ws server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ TICKET_TTL_SECONDS: '2', WS_PING_INTERVAL_MS: '200' });
  });

  afterAll(async () => {
    await server.close();
  });

  async function post(path: string, body: unknown = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, any>;
  }

  async function ticket() {
    const body = await post('/api/login/tickets');
    return { id: body.ticketId as string, secret: body.secret as string, expiresAt: body.expiresAt as string };
  }

  async function subscribed(t: { id: string; secret: string }) {
    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(t.id, t.secret);
    await page.message(0);
    return page;
  }

  it.each([
    ['text that is not JSON', 4400, 'hello'],
    ['a message of another type', 4400, { type: 'hello', ticketId: 'x', secret: 'y' }],
    ['a subscribe without secret', 4400, { type: 'subscribe', ticketId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['binary data', 4400, Buffer.from([1, 2, 3])],
    ['an unknown ticket', 4404, { type: 'subscribe', ticketId: 'AAAAAAAAAAAAAAAAAAAAAA', secret: 'x' }],
  ])('closes on %s with %i and a reason', async (_, code, message) => {
    const page = await new WsClient(server.wsUrl).open();
    page.send(message);
    const closed = await page.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason).not.toBe('');
  });

  it('closes a socket whose message is over 4 KB', async () => {
    const t = await ticket();
    const page = await new WsClient(server.wsUrl).open();
    page.send({ type: 'subscribe', ticketId: t.id, secret: 'x'.repeat(5000) });
    expect((await page.closed).code).toBe(1009);
    expect(page.messages).toEqual([]);
  });

  it('closes the previous socket with 4409 when the secret holder subscribes again, and resumes', async () => {
    const t = await ticket();
    const first = await subscribed(t);
    await post(`/api/login/tickets/${t.id}/scan`);
    await first.message(1);

    const second = await new WsClient(server.wsUrl).open();
    second.subscribe(t.id, t.secret);
    expect(await second.message(0)).toMatchObject({ status: 'scanned' });
    expect(await first.closed).toEqual({ code: 4409, reason: 'replaced' });
    second.close();
  });

  it('sends the token on subscribe when the login was confirmed while no page was connected', async () => {
    const t = await ticket();
    const { scanToken } = await post(`/api/login/tickets/${t.id}/scan`);
    const { code } = await post('/__wechat__/sim/login', { user: 'erin' });
    await post(`/api/login/tickets/${t.id}/confirm`, { scanToken, code });

    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(t.id, t.secret);
    expect(await page.message(0)).toMatchObject({ status: 'confirmed', token: expect.any(String) });
    page.close();
  });

  it('hands a page that reconnects after the token was sent the same token again (the redelivery window)', async () => {
    const t = await ticket();
    const first = await subscribed(t);
    const { scanToken } = await post(`/api/login/tickets/${t.id}/scan`);
    const { code } = await post('/__wechat__/sim/login', { user: 'frank' });
    await post(`/api/login/tickets/${t.id}/confirm`, { scanToken, code });
    const delivered = await first.message(2);
    expect(delivered).toMatchObject({ status: 'confirmed', token: expect.any(String) });

    const again = await new WsClient(server.wsUrl).open();
    again.subscribe(t.id, t.secret);
    expect(await again.message(0)).toMatchObject({ status: 'confirmed', token: delivered.token });
    const stranger = await new WsClient(server.wsUrl).open();
    stranger.subscribe(t.id, 'not-the-secret');
    expect((await stranger.closed).code).toBe(4401);
    again.close();
  });

  it('pushes cancelled to the waiting page', async () => {
    const t = await ticket();
    const page = await subscribed(t);
    const { scanToken } = await post(`/api/login/tickets/${t.id}/scan`);
    await post(`/api/login/tickets/${t.id}/cancel`, { scanToken });
    expect(await page.message(2)).toMatchObject({ status: 'cancelled' });
    page.close();
  });

  it('pushes expired within a second of expiresAt', async () => {
    const t = await ticket();
    const page = await subscribed(t);
    const expired = await page.message(1, 4000);
    const lateMs = Date.now() - Date.parse(t.expiresAt);
    expect(expired).toMatchObject({ status: 'expired' });
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1000);
    page.close();
  });

  it('drops a peer that stops answering pings', async () => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    socket.write(
      'GET /api/login/ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const started = Date.now();
    // Read (and ignore) the handshake and the pings, but never answer them.
    socket.resume();
    await new Promise((resolve) => socket.on('close', resolve));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers an upgrade on another path with 404', async () => {
    const response = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      socket.write(
        'GET /elsewhere HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      socket.once('data', (data) => resolve(data.toString()));
    });
    expect(response).toMatch(/^HTTP\/1.1 404/);
  });
});

describe('ws server limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      WS_SUBSCRIBE_TIMEOUT_MS: '300',
      WS_MAX_CONNECTIONS_PER_IP: '3',
      WS_PING_INTERVAL_MS: '300',
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('closes a socket that does not subscribe in time with 4408', async () => {
    const started = Date.now();
    const page = await new WsClient(server.wsUrl).open();
    expect(await page.closed).toEqual({ code: 4408, reason: 'subscribe timeout' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
  });

  it('keeps a subscribed socket past the subscribe deadline', async () => {
    const { ticketId, secret } = await (await fetch(`${server.url}/api/login/tickets`, { method: 'POST' })).json();
    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(ticketId, secret);
    await page.message(0);
    const outcome = await Promise.race([page.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 700))]);
    expect(outcome).toBe('open');
    page.close();
  });

  it('refuses the upgrade past the per-IP cap with 429, and accepts again once one closes', async () => {
    const open = await Promise.all([1, 2, 3].map(() => new WsClient(server.wsUrl).open()));
    const refused = await rawUpgrade(server.url);
    expect(refused).toMatch(/^HTTP\/1.1 429/);
    open[0].close();
    await open[0].closed;
    const accepted = await new WsClient(server.wsUrl).open();
    accepted.close();
    open.slice(1).forEach((page) => page.close());
  });

  it('pings each socket once per WS_PING_INTERVAL_MS, not more often', async () => {
    const { ticketId, secret } = await (await fetch(`${server.url}/api/login/tickets`, { method: 'POST' })).json();
    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(ticketId, secret);
    const pings: number[] = [];
    page.onPing(() => pings.push(Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 300 * 6 + 100));
    page.close();
    expect(pings.length).toBeGreaterThanOrEqual(5);
    expect(pings.length).toBeLessThanOrEqual(7);
    // Timers fire late under load, never early: no gap well under the interval.
    for (let i = 1; i < pings.length; i++) expect(pings[i] - pings[i - 1]).toBeGreaterThan(200);
  });
});

describe('ws server, pages of other origins', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: 'https://blog.example.org' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses the upgrade of a page from an origin not in CORS_ORIGINS with 403', async () => {
    expect(await rawUpgrade(server.url, 'Origin: https://evil.example\r\n')).toMatch(/^HTTP\/1.1 403/);
  });

  it('accepts a listed origin and a page of its own host', async () => {
    expect(await rawUpgrade(server.url, 'Origin: https://blog.example.org\r\n')).toMatch(/^HTTP\/1.1 101/);
    expect(await rawUpgrade(server.url, 'Origin: http://localhost\r\n')).toMatch(/^HTTP\/1.1 101/);
  });
});

function rawUpgrade(url: string, headers = ''): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.write(
      'GET /api/login/ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${headers}\r\n`,
    );
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
  });
}
