import { decodeQr } from '../support/qr';
import { startTestServer, TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

/** The whole scan-to-login chain over real HTTP and a real ws client. */
describe('server', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Strictly once, so "exactly once" below means it; ws-server.test.ts covers redelivery.
    server = await startTestServer({ TOKEN_REDELIVERY_SECONDS: '0' });
  });

  afterAll(async () => {
    await server.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const payload = type.startsWith('application/json') ? await response.json() : Buffer.from(await response.arrayBuffer());
    return { status: response.status, type, body: payload as any };
  }

  async function createTicket() {
    const created = await call('POST', '/api/login/tickets');
    expect(created.status).toBe(201);
    return created.body as { ticketId: string; secret: string; expiresAt: string; qrcodeUrl: string };
  }

  async function simulatorCode(user: string): Promise<string> {
    return (await call('POST', '/__wechat__/sim/login', { user })).body.code;
  }

  it('logs a waiting page in: code image → scan → confirm → token over ws, exactly once → /api/me', async () => {
    const ticket = await createTicket();
    expect(ticket.ticketId).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(new Date(ticket.expiresAt).toISOString()).toBe(ticket.expiresAt);
    expect(ticket.qrcodeUrl).toBe(`/api/login/tickets/${ticket.ticketId}/qrcode`);

    const image = await call('GET', ticket.qrcodeUrl);
    expect(image.status).toBe(200);
    expect(image.type).toMatch(/^image\/(png|jpeg)/);
    const qrText = decodeQr(image.body);
    const scene = decodeURIComponent(new URL(qrText.replace('#/', '')).searchParams.get('scene') ?? '');
    expect(scene).toBe(ticket.ticketId);
    expect(qrText).toContain('/miniapp/#/pages/confirm/index?scene=');

    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(ticket.ticketId, ticket.secret);
    expect(await page.message(0)).toEqual({ type: 'status', status: 'pending', expiresAt: ticket.expiresAt });

    const scan = await call('POST', `/api/login/tickets/${scene}/scan`, { launchScene: 1047 });
    expect(scan.status).toBe(200);
    expect(scan.body).toMatchObject({
      status: 'scanned',
      scanToken: expect.any(String),
      requester: { ip: '127.0.0.1', browser: expect.any(String), os: expect.any(String), createdAt: expect.any(String) },
      expiresAt: ticket.expiresAt,
    });
    expect(await page.message(1)).toMatchObject({ type: 'status', status: 'scanned' });

    const confirm = await call('POST', `/api/login/tickets/${scene}/confirm`, {
      scanToken: scan.body.scanToken,
      code: await simulatorCode('alice'),
      profile: { nickname: 'Alice' },
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toEqual({ status: 'confirmed', user: expect.objectContaining({ nickname: 'Alice' }) });

    const pushed = await page.message(2);
    expect(pushed).toMatchObject({ type: 'status', status: 'confirmed', token: expect.any(String), user: confirm.body.user });

    const me = await call('GET', '/api/me', undefined, { authorization: `Bearer ${pushed.token}` });
    expect(me).toMatchObject({ status: 200, body: { user: confirm.body.user } });
    expect(Object.keys(me.body.user).sort()).toEqual(['avatarUrl', 'createdAt', 'id', 'nickname']);

    const polled = await call('GET', `/api/login/tickets/${scene}`, undefined, { authorization: `Bearer ${ticket.secret}` });
    expect(polled.body).toEqual({ status: 'confirmed', expiresAt: ticket.expiresAt });

    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(page.messages).toHaveLength(3);
    page.close();
  });

  it('never gives the token to a subscriber with the wrong secret', async () => {
    const ticket = await createTicket();
    const intruder = await new WsClient(server.wsUrl).open();
    intruder.subscribe(ticket.ticketId, 'not-the-secret');
    expect(await intruder.closed).toEqual({ code: 4401, reason: expect.any(String) });
    expect(intruder.messages).toEqual([]);
  });

  it('hands the token to a polling page exactly once when ws is not used', async () => {
    const ticket = await createTicket();
    const auth = { authorization: `Bearer ${ticket.secret}` };
    const path = `/api/login/tickets/${ticket.ticketId}`;
    expect((await call('GET', path, undefined, auth)).body).toEqual({ status: 'pending', expiresAt: ticket.expiresAt });

    const scan = await call('POST', `${path}/scan`, {});
    expect((await call('GET', path, undefined, auth)).body.status).toBe('scanned');
    await call('POST', `${path}/confirm`, { scanToken: scan.body.scanToken, code: await simulatorCode('bob') });

    const first = await call('GET', path, undefined, auth);
    expect(first.body).toMatchObject({ status: 'confirmed', token: expect.any(String), user: { id: expect.any(String) } });
    const second = await call('GET', path, undefined, auth);
    expect(second.body).toEqual({ status: 'confirmed', expiresAt: ticket.expiresAt });
    expect((await call('GET', '/api/me', undefined, { authorization: `Bearer ${first.body.token}` })).status).toBe(200);
  });

  it('logs a session out: /api/me refuses the revoked token on the next call', async () => {
    const ticket = await createTicket();
    const path = `/api/login/tickets/${ticket.ticketId}`;
    const scan = await call('POST', `${path}/scan`, {});
    await call('POST', `${path}/confirm`, { scanToken: scan.body.scanToken, code: await simulatorCode('logout') });
    const { token } = (await call('GET', path, undefined, { authorization: `Bearer ${ticket.secret}` })).body;
    const auth = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/api/me', undefined, auth)).status).toBe(200);
    expect((await call('POST', '/api/login/logout', undefined, auth)).status).toBe(200);
    const refused = await call('GET', '/api/me', undefined, auth);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('TOKEN_INVALID');
  });

  it('fetches each code image from WeChat once, then serves it from cache', async () => {
    const ticket = await createTicket();
    const before = server.simulator.callCount('getwxacodeunlimit');
    const images = await Promise.all([1, 2, 3].map(() => call('GET', ticket.qrcodeUrl)));
    expect(images.map((image) => image.status)).toEqual([200, 200, 200]);
    expect(server.simulator.callCount('getwxacodeunlimit') - before).toBe(1);
  });

  it('answers /healthz once it can serve', async () => {
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
