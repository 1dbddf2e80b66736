import { ManualClock } from '../../../server/core/clock';
import { sample, scrape } from '../../support/metrics-text';
import { PhoneSide } from '../../support/phone-side';
import { startTestServer, type TestServer } from '../../support/test-server';
import { WsClient } from '../../support/ws-client';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

async function post(url: string, body: unknown = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

type Labels = Record<string, string>;

/** How much `name{labels}` grew from one scrape to a later one. */
const grew = (before: string, after: string, name: string, labels: Labels) => sample(after, name, labels) - sample(before, name, labels);

/** What the instance counted of `name{labels}` while `action` ran. */
async function counted(server: TestServer, name: string, labels: Labels, action: () => Promise<unknown>) {
  const before = await scrape(server.url, TOKEN);
  await action();
  return grew(before, await scrape(server.url, TOKEN), name, labels);
}

/** The library's counters, seen the way a scraper sees them: through /metrics. */
describe('scanLogin.metrics', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let phone: PhoneSide;

  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN }, clock);
    phone = new PhoneSide(server.url);
  });

  afterAll(async () => {
    await server?.close();
  });

  const ticket = async () => (await post(`${server.url}/api/login/tickets`)).body as { ticketId: string; secret: string; qrcodeUrl: string };

  it('counts a confirmed login and its WeChat calls, each with errcode 0', async () => {
    const before = await scrape(server.url, TOKEN);
    const { ticketId, qrcodeUrl } = await ticket();
    expect((await fetch(`${server.url}${qrcodeUrl}`)).status).toBe(200);
    await phone.confirm(ticketId);
    const after = await scrape(server.url, TOKEN);
    expect(grew(before, after, 'mp_scan_login_logins_total', { outcome: 'confirmed' })).toBe(1);
    expect(grew(before, after, 'mp_scan_login_wechat_calls_total', { api: 'jscode2session', errcode: '0' })).toBe(1);
    expect(grew(before, after, 'mp_scan_login_wechat_calls_total', { api: 'getwxacodeunlimit', errcode: '0' })).toBe(1);
    expect(grew(before, after, 'mp_scan_login_wechat_call_seconds_count', { api: 'jscode2session' })).toBe(1);
  });

  it('counts a WeChat fault under its errcode, and the confirm it failed', async () => {
    const { ticketId } = await ticket();
    const scanToken = await phone.scan(ticketId);
    expect((await post(`${server.url}/__wechat__/sim/faults`, { api: 'jscode2session', errcode: 40029 })).status).toBe(204);
    const { body: login } = await post(`${server.url}/__wechat__/sim/login`, { user: 'mallory' });
    const confirm = () => post(`${server.url}/api/login/tickets/${ticketId}/confirm`, { scanToken, code: login.code });

    const before = await scrape(server.url, TOKEN);
    expect((await confirm()).body.error.code).toBe('WECHAT_CODE_INVALID');
    const after = await scrape(server.url, TOKEN);
    expect(grew(before, after, 'mp_scan_login_wechat_calls_total', { api: 'jscode2session', errcode: '40029' })).toBe(1);
    expect(grew(before, after, 'mp_scan_login_logins_total', { outcome: 'failed' })).toBe(1);
  });

  it('counts a cancel on the phone and an expiry once noticed', async () => {
    const cancelled = await ticket();
    expect(await counted(server, 'mp_scan_login_logins_total', { outcome: 'cancelled' }, () => phone.cancel(cancelled.ticketId))).toBe(1);

    const expiring = await ticket();
    const poll = () => fetch(`${server.url}/api/login/tickets/${expiring.ticketId}`, { headers: { authorization: `Bearer ${expiring.secret}` } });
    clock.advance(121_000);
    expect(await counted(server, 'mp_scan_login_logins_total', { outcome: 'expired' }, poll)).toBe(1);
    // Reading it again is no second expiry.
    expect(await counted(server, 'mp_scan_login_logins_total', { outcome: 'expired' }, poll)).toBe(0);
  });

  it('follows the sockets subscribed to a ticket in waiting_sockets', async () => {
    const waiting = async () => sample(await scrape(server.url, TOKEN), 'mp_scan_login_waiting_sockets');
    expect(await waiting()).toBe(0);
    const { ticketId, secret } = await ticket();
    const page = await new WsClient(server.wsUrl).open();
    expect(await waiting()).toBe(0);
    page.subscribe(ticketId, secret);
    await page.message(0);
    expect(await waiting()).toBe(1);
    page.close();
    await page.closed;
    for (let tries = 0; (await waiting()) !== 0 && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await waiting()).toBe(0);
  });
});

describe('scanLogin.metrics on limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '1', WS_MAX_CONNECTIONS_PER_IP: '1' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('counts a refused ticket under its limit', async () => {
    const create = () => post(`${server.url}/api/login/tickets`);
    expect((await create()).status).toBe(201);
    const labels = { limit: 'tickets-per-ip' };
    expect(await counted(server, 'mp_scan_login_limits_hit_total', labels, async () => expect((await create()).status).toBe(429))).toBe(1);
  });

  it('counts a ws upgrade refused past the per-IP cap', async () => {
    const first = await new WsClient(server.wsUrl).open();
    const labels = { limit: 'ws-connections-per-ip' };
    const refused = () => expect(new WsClient(server.wsUrl).open()).rejects.toThrow(/429/);
    expect(await counted(server, 'mp_scan_login_limits_hit_total', labels, refused)).toBe(1);
    first.close();
    await first.closed;
  });
});
