import { resolveObjectURL } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import WebSocket from 'ws';
import { createScanLogin, type ScanLogin } from '../../../server/scan-login';
import { LoginClient, LoginError, fetchCurrentUser, type LoginClientOptions } from '../../../web/src/client';
import { startTestServer, type TestServer } from '../../support/test-server';
import { PhoneSide } from '../../support/phone-side';
import { decodeQr } from '../../support/qr';
import { tempDir } from '../../support/temp-dir';
import { TcpProxy } from '../tcp-proxy';
import { EventLog } from './event-log';
import { TestClients } from './test-clients';
import { waitUntil } from './wait-until';

describe('LoginClient', () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let phone: PhoneSide;
  const clients = new TestClients();

  beforeAll(async () => {
    server = await startTestServer();
    phone = new PhoneSide(server.url);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    proxy = await TcpProxy.start(server.url);
  });
  afterEach(async () => {
    clients.stopAll();
    await proxy.close();
  });

  /** A client that reaches the server through the proxy, with fast retries for tests. */
  function started(options: Partial<LoginClientOptions> = {}): { client: LoginClient; log: EventLog } {
    const created = clients.create(proxy.url, options);
    created.client.start();
    return created;
  }

  it('creates a ticket whose code image the server serves, and reports pending', async () => {
    const { log } = started();
    const ticket = await log.waitFor('ticket');
    expect(ticket.ticketId).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(ticket.qrcodeUrl).toBe(`${proxy.url}/api/login/tickets/${ticket.ticketId}/qrcode`);
    // No page, so no origin to cross: the code URL is what an <img> would show.
    expect(ticket.imageUrl).toBe(ticket.qrcodeUrl);
    expect(ticket.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const image = await fetch(ticket.qrcodeUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/(png|jpeg)/);
    expect(log.statuses()).toEqual(['pending']);
    expect(log.of('transport')).toEqual([{ transport: 'websocket' }]);
  });

  it("says the server runs the simulator, with the phone page that the code's own text opens", async () => {
    const { log } = started();
    const ticket = await log.waitFor('ticket');
    expect(ticket.wechat).toBe('simulator');
    const image = await fetch(ticket.qrcodeUrl);
    expect(ticket.phoneUrl).toBe(decodeQr(Buffer.from(await image.arrayBuffer())));
    expect(ticket.phoneUrl).toMatch(new RegExp(`^https?://[^/]+/miniapp/#/pages/confirm/index\\?scene=${ticket.ticketId}$`));
  });

  it('follows scanned and confirmed, hands over the token once, then closes its socket', async () => {
    const { log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await waitUntil(() => proxy.openWebSockets === 1);
    const scanToken = await phone.scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    await phone.confirm(ticketId, { scanToken });
    const { token, user } = await log.waitFor('confirmed');

    expect(log.statuses()).toEqual(['pending', 'scanned', 'confirmed']);
    expect(user?.id).toEqual(expect.any(String));
    const me = await fetchCurrentUser(server.url, token);
    expect(me.id).toBe(user?.id);
    await waitUntil(() => proxy.openWebSockets === 0);
    await sleep(300);
    expect(log.of('confirmed')).toHaveLength(1);
    expect(log.of('error')).toEqual([]);
  });

  it('reports cancelled and stops', async () => {
    const { log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await waitUntil(() => proxy.openWebSockets === 1);
    const scanToken = await phone.scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    await phone.cancel(ticketId, scanToken);
    await log.waitFor('status', (e) => e.status === 'cancelled');
    await waitUntil(() => proxy.openWebSockets === 0);
    expect(log.statuses()).toEqual(['pending', 'scanned', 'cancelled']);
  });

  it('reconnects after the connection drops and resumes from the status it missed', async () => {
    const { log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await waitUntil(() => proxy.openWebSockets === 1);
    // The scan lands while the page is cut off; the resubscribe's snapshot carries it.
    proxy.dropWebSockets();
    const scanToken = await phone.scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    expect(proxy.webSocketConnections).toBe(2);

    proxy.dropWebSockets();
    await waitUntil(() => proxy.webSocketConnections === 3 && proxy.openWebSockets === 1);
    const user = await phone.confirm(ticketId, { user: 'bob', scanToken });
    const confirmed = await log.waitFor('confirmed');
    expect(confirmed.user?.id).toBe(user.id);
    expect(log.statuses()).toEqual(['pending', 'scanned', 'confirmed']);
    expect(log.of('transport')).toEqual([{ transport: 'websocket' }]);
  });

  it('gets the token again on reconnect when the socket died as the token was sent', async () => {
    const { log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await waitUntil(() => proxy.openWebSockets === 1);
    proxy.cutWebSocketOn = /"confirmed"/;
    const user = await phone.confirm(ticketId, { user: 'dave' });
    // The server handed the token to the cut socket; inside the redelivery window the
    // resubscribe's snapshot carries the same token.
    const { token } = await log.waitFor('confirmed');
    expect(proxy.cutWebSocketOn).toBeNull();
    expect(proxy.webSocketConnections).toBe(2);
    expect((await fetchCurrentUser(server.url, token)).id).toBe(user.id);
    expect(log.of('error')).toEqual([]);
  });

  it('switches to polling when ws cannot connect, and still logs in', async () => {
    proxy.blockWebSockets = true;
    const { log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await log.waitFor('transport', (e) => e.transport === 'polling');
    expect(proxy.webSocketConnections).toBe(0);
    const scanToken = await phone.scan(ticketId);
    await log.waitFor('status', (e) => e.status === 'scanned');
    await phone.confirm(ticketId, { user: 'carol', scanToken });
    const { token } = await log.waitFor('confirmed');
    expect((await fetchCurrentUser(server.url, token)).nickname).toBeDefined();
    expect(log.statuses()).toEqual(['pending', 'scanned', 'confirmed']);
  });

  it('switches to polling when ws keeps dropping', async () => {
    const { log } = started({ webSocketFailureLimit: 3 });
    await log.waitFor('ticket');
    for (let drop = 1; drop <= 3; drop += 1) {
      await waitUntil(() => proxy.webSocketConnections === drop && proxy.openWebSockets === 1);
      proxy.dropWebSockets();
    }
    await log.waitFor('transport', (e) => e.transport === 'polling');
    expect(proxy.webSocketConnections).toBe(3);
    await sleep(300);
    expect(proxy.webSocketConnections).toBe(3);
    expect(log.of('error')).toEqual([]);
  });

  it('polls only when there is no WebSocket, and stops polling once it has the token', async () => {
    const { log } = started({ WebSocket: null });
    const { ticketId } = await log.waitFor('ticket');
    expect(log.of('transport')).toEqual([{ transport: 'polling' }]);
    await phone.confirm(ticketId);
    await log.waitFor('confirmed');
    const requests = proxy.httpRequests;
    await sleep(400);
    expect(proxy.httpRequests).toBe(requests);
  });

  it('stop() closes the socket and emits nothing more', async () => {
    const { client, log } = started();
    const { ticketId } = await log.waitFor('ticket');
    await waitUntil(() => proxy.openWebSockets === 1);
    client.stop();
    await waitUntil(() => proxy.openWebSockets === 0);
    await phone.confirm(ticketId);
    await sleep(300);
    expect(log.statuses()).toEqual(['pending']);
  });

  it('stop() ends polling', async () => {
    const { client, log } = started({ WebSocket: null });
    await log.waitFor('status');
    await sleep(250);
    client.stop();
    const requests = proxy.httpRequests;
    await sleep(400);
    expect(proxy.httpRequests).toBe(requests);
  });

  it('start() again drops the old ticket for a fresh one', async () => {
    const { client, log } = started();
    const first = await log.waitFor('ticket');
    client.start();
    const second = await log.waitFor('ticket', (t) => t.ticketId !== first.ticketId);
    await phone.confirm(first.ticketId);
    await sleep(300);
    expect(log.of('confirmed')).toEqual([]);
    await phone.confirm(second.ticketId);
    await log.waitFor('confirmed');
  });

  it('reports NETWORK_ERROR when the server cannot be reached', async () => {
    await proxy.close();
    const { log } = started();
    const error = await log.waitFor('error');
    expect(error).toBeInstanceOf(LoginError);
    expect(error.code).toBe(LoginError.NETWORK_ERROR);
    expect(log.of('ticket')).toEqual([]);
  });
});

describe('LoginClient with a short ticket lifetime', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TICKET_TTL_SECONDS: '1' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports expired within a second of expiresAt, then stops', async () => {
    const client = new LoginClient({ baseUrl: server.url, WebSocket });
    const log = new EventLog(client);
    client.start();
    const ticket = await log.waitFor('ticket');
    const expired = await log.waitFor('status', (e) => e.status === 'expired', 4000);
    expect(Date.now() - ticket.localExpiresAt.getTime()).toBeLessThan(1000);
    expect(expired.expiresAt).toEqual(ticket.expiresAt);
    expect(log.statuses()).toEqual(['pending', 'expired']);
    client.stop();
  });

  it('reports expired by polling too', async () => {
    const client = new LoginClient({ baseUrl: server.url, WebSocket: null, pollIntervalMs: 200 });
    const log = new EventLog(client);
    client.start();
    await log.waitFor('status', (e) => e.status === 'expired', 4000);
    expect(log.of('error')).toEqual([]);
    client.stop();
  });
});

describe('LoginClient against a host that mounts the library under its own prefix', () => {
  const PREFIX = '/auth/wechat';
  const dir = tempDir('mp-scan-login-client-prefix-');
  let scanLogin: ScanLogin;
  let host: Server;
  let url: string;
  let phone: PhoneSide;
  const clients = new TestClients();

  beforeAll(async () => {
    scanLogin = await createScanLogin({ prefix: PREFIX, dataDir: dir.path, logger: pino({ level: 'silent' }) });
    host = createServer((req, res) => scanLogin.handler(req, res));
    scanLogin.attach(host);
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    phone = new PhoneSide(url, PREFIX);
  });
  afterEach(() => clients.stopAll());
  afterAll(async () => {
    await scanLogin.close();
    await new Promise((resolve) => host.close(resolve));
    dir.remove();
  });

  it.each([
    ['ws', WebSocket],
    ['polling', null],
  ] as const)('logs in over %s with every route under the prefix', async (_channel, socket) => {
    const { client, log } = clients.create(url, { prefix: PREFIX, WebSocket: socket });
    client.start();
    const ticket = await log.waitFor('ticket');
    expect(ticket.qrcodeUrl).toBe(`${url}${PREFIX}/tickets/${ticket.ticketId}/qrcode`);
    const user = await phone.confirm(ticket.ticketId);
    const { token } = await log.waitFor('confirmed');
    expect((await scanLogin.verify(token))?.id).toBe(user.id);
  });

  it('shows the code of a server on another origin through a blob: URL, revoked on stop()', async () => {
    const { client, log } = clients.create(url, { prefix: PREFIX, pageOrigin: 'http://blog.example.test' });
    client.start();
    const ticket = await log.waitFor('ticket');
    expect(ticket.imageUrl).toMatch(/^blob:/);
    const image = resolveObjectURL(ticket.imageUrl);
    expect(decodeQr(Buffer.from(await image!.arrayBuffer()))).toContain(`scene=${ticket.ticketId}`);
    client.stop();
    expect(resolveObjectURL(ticket.imageUrl)).toBeUndefined();
  });

  it("keeps the old code's blob URL until the fresh code replaces it", async () => {
    const { client, log } = clients.create(url, { prefix: PREFIX, pageOrigin: 'http://blog.example.test' });
    client.start();
    const first = await log.waitFor('ticket');
    client.start();
    // The page still shows the old code while the new one loads.
    expect(resolveObjectURL(first.imageUrl)).toBeDefined();
    const second = await log.waitFor('ticket', (t) => t.ticketId !== first.ticketId);
    expect(resolveObjectURL(first.imageUrl)).toBeUndefined();
    expect(resolveObjectURL(second.imageUrl)).toBeDefined();
  });
});
