import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../../server/server';
import { PhoneSide } from '../../support/phone-side';
import { startTestServer, TestServer } from '../../support/test-server';

/** A server with some limits set, and the calls the tests make against it. */
async function serverWith(env: Record<string, string>) {
  const server = await startTestServer(env);
  const create = (forwardedFor?: string) =>
    fetch(`${server.url}/api/login/tickets`, {
      method: 'POST',
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    });
  const ticket = async (forwardedFor?: string) => {
    const response = await create(forwardedFor);
    expect(response.status).toBe(201);
    return (await response.json()) as { ticketId: string; secret: string; qrcodeUrl: string };
  };
  const image = (qrcodeUrl: string, forwardedFor?: string) =>
    fetch(`${server.url}${qrcodeUrl}`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  const scan = (ticketId: string) => fetch(`${server.url}/api/login/tickets/${ticketId}/scan`, { method: 'POST' });
  return { server, create, ticket, image, scan, phone: new PhoneSide(server.url) };
}

async function expectRefused(response: Response, status: number, code: string, limit: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await response.json()).toEqual({ error: { code, limit, message: expect.any(String) } });
}

describe('limits over HTTP', () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));
  const start = async (env: Record<string, string>) => {
    const s = await serverWith(env);
    servers.push(s.server);
    return s;
  };

  it('limits ticket creation per IP, without counting polling', async () => {
    const { create, ticket, server } = await start({ RATE_LIMIT_PER_MINUTE: '3' });
    const first = await ticket();
    await ticket();
    for (let i = 0; i < 5; i++) {
      const poll = await fetch(`${server.url}/api/login/tickets/${first.ticketId}`, {
        headers: { authorization: `Bearer ${first.secret}` },
      });
      expect(poll.status).toBe(200);
    }
    expect((await create()).status).toBe(201);
    await expectRefused(await create(), 429, 'RATE_LIMITED', 'tickets-per-ip');
  });

  it('gives the phone calls their own budget, so browsers behind one NAT cannot lock its phones out', async () => {
    const { create, ticket, scan } = await start({ RATE_LIMIT_PER_MINUTE: '2', PHONE_RATE_LIMIT_PER_MINUTE: '2' });
    const tickets = [await ticket(), await ticket()];
    expect((await create()).status).toBe(429);
    expect((await scan(tickets[0].ticketId)).status).toBe(200);
    expect((await scan(tickets[1].ticketId)).status).toBe(200);
    await expectRefused(await scan(tickets[1].ticketId), 429, 'RATE_LIMITED', 'phone-requests-per-ip');
  });

  it('counts only the code images that reach WeChat against the per-IP budget', async () => {
    const { ticket, image, server } = await start({ CODE_IMAGES_PER_MINUTE_PER_IP: '2' });
    const [a, b, c] = [await ticket(), await ticket(), await ticket()];
    for (let i = 0; i < 3; i++) expect((await image(a.qrcodeUrl)).status).toBe(200);
    expect((await image(b.qrcodeUrl)).status).toBe(200);
    await expectRefused(await image(c.qrcodeUrl), 429, 'RATE_LIMITED', 'code-images-per-ip');
    expect(server.simulator.callCount('getwxacodeunlimit')).toBe(2);
  });

  it('holds the app-wide WeChat budget across many client addresses behind a proxy', async () => {
    const { ticket, image, server } = await start({ TRUST_PROXY: '1', WECHAT_CODE_FETCHES_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const { qrcodeUrl } = await ticket(`198.51.100.${i}`);
      statuses.push((await image(qrcodeUrl, `198.51.100.${i}`)).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
    const { qrcodeUrl } = await ticket('203.0.113.1');
    await expectRefused(await image(qrcodeUrl, '203.0.113.1'), 503, 'WECHAT_QUOTA_PROTECTED', 'wechat-code-fetches');
    expect(server.simulator.callCount('getwxacodeunlimit')).toBe(3);
  });

  it('remembers a failed fetch, so 200 requests while WeChat answers 45009 make a handful of calls', async () => {
    const { ticket, image, server } = await start({});
    server.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: 45009, times: 1_000_000 });
    const { qrcodeUrl } = await ticket();
    const before = server.simulator.callCount('getwxacodeunlimit');
    const statuses = new Set<number>();
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => image(qrcodeUrl)));
      for (const answer of answers) statuses.add(answer.status);
    }
    expect([...statuses]).toEqual([503]);
    expect(server.simulator.callCount('getwxacodeunlimit') - before).toBeLessThanOrEqual(3);
  });

  it('caps the open tickets per IP and frees a place when a ticket ends', async () => {
    const { create, ticket, phone } = await start({ MAX_LIVE_TICKETS_PER_IP: '2' });
    const first = await ticket();
    await ticket();
    await expectRefused(await create(), 429, 'RATE_LIMITED', 'live-tickets-per-ip');
    await phone.cancel(first.ticketId);
    expect((await create()).status).toBe(201);
  });

  it('caps the open tickets of all clients together', async () => {
    const { create, ticket } = await start({ TRUST_PROXY: '1', MAX_LIVE_TICKETS: '3' });
    for (let i = 1; i <= 3; i++) await ticket(`198.51.100.${i}`);
    await expectRefused(await create('203.0.113.1'), 429, 'RATE_LIMITED', 'live-tickets');
  });

  it('no longer serves the code of a ticket that ended', async () => {
    const { ticket, image, phone } = await start({});
    const { ticketId, qrcodeUrl } = await ticket();
    expect((await image(qrcodeUrl)).status).toBe(200);
    await phone.cancel(ticketId);
    const answer = await image(qrcodeUrl);
    expect(answer.status).toBe(409);
    expect((await answer.json()).error.code).toBe('TICKET_CANCELLED');
  });
});

describe('the client address behind a proxy (TRUST_PROXY=1)', () => {
  let s: Awaited<ReturnType<typeof serverWith>>;
  beforeAll(async () => {
    s = await serverWith({ TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => s.server.close());

  it('shows the phone and stores in the audit what the proxy saw, not a spoofed leftmost entry', async () => {
    const { ticketId } = await s.ticket('127.0.0.1, 198.51.100.7');
    const scanned = await (await s.scan(ticketId)).json();
    expect(scanned.requester.ip).toBe('198.51.100.7');
    await s.phone.confirm(ticketId, { scanToken: scanned.scanToken });
    const db = new Database(join(s.server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT ip FROM login_audit WHERE ticket_id = ?').get(ticketId)).toEqual({ ip: '198.51.100.7' });
    } finally {
      db.close();
    }
  });

  it('falls back to the socket address when the proxy entry is not an IP', async () => {
    const { ticketId } = await s.ticket('198.51.100.7, <script>alert(1)</script>');
    expect((await (await s.scan(ticketId)).json()).requester.ip).toBe('127.0.0.1');
  });

  it('keys the limiter on the proxy-reported address, whatever the client puts in front of it', async () => {
    const created = [];
    for (const spoof of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) created.push((await s.create(`${spoof}, 203.0.113.50`)).status);
    expect(created).toEqual([201, 201, 429]);
  });
});
