import WebSocket from 'ws';
import {
  LoginClient,
  fetchCurrentUser,
  parseSavedTicket,
  type LoginClientOptions,
  type SavedTicket,
} from '../../../web/src/client';
import { startTestServer, type TestServer } from '../../support/test-server';
import { PhoneSide } from '../../support/phone-side';
import { TcpProxy } from '../tcp-proxy';
import { EventLog } from './event-log';
import { TestClients } from './test-clients';
import { waitUntil } from './wait-until';

/** A well-formed ticket id that no server issued. */
const UNKNOWN_TICKET_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('LoginClient.resume', () => {
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

  const client = (options: Partial<LoginClientOptions> = {}) => clients.create(proxy.url, options);

  /** A page that got a ticket and went away (a reload), leaving what it saved. */
  async function savedByEarlierPage(): Promise<SavedTicket> {
    const { client: earlier, log } = client();
    earlier.start();
    const saved = await log.waitFor('resumable');
    await log.waitFor('ticket');
    earlier.stop();
    return saved;
  }

  it('hands out what to save with every ticket: plain JSON that parses back as it was', async () => {
    const { client: page, log } = client();
    page.start();
    const saved = await log.waitFor('resumable');
    const ticket = await log.waitFor('ticket');
    expect(log.entries.map((entry) => entry.type).slice(0, 2)).toEqual(['resumable', 'ticket']);
    expect(saved).toEqual({
      ticketId: ticket.ticketId,
      secret: expect.stringMatching(/.{20,}/),
      qrcodeUrl: ticket.qrcodeUrl,
      expiresAt: ticket.expiresAt.toISOString(),
      localExpiresAt: ticket.localExpiresAt.toISOString(),
      wechat: 'simulator',
      phoneUrl: ticket.phoneUrl,
    });
    expect(parseSavedTicket(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it.each([
    ['nothing', null],
    ['a string', 'ticket'],
    ['a ticket without its secret', { ticketId: 'x', qrcodeUrl: 'http://a/b', expiresAt: '2030-01-01T00:00:00Z', localExpiresAt: '2030-01-01T00:00:00Z' }],
    ['a javascript: code URL', { ticketId: 'x', secret: 's', qrcodeUrl: 'javascript:alert(1)', expiresAt: '2030-01-01T00:00:00Z', localExpiresAt: '2030-01-01T00:00:00Z' }],
    ['a date that is not one', { ticketId: 'x', secret: 's', qrcodeUrl: 'http://a/b', expiresAt: 'soon', localExpiresAt: '2030-01-01T00:00:00Z' }],
  ])('parses %s as no saved ticket', (_what, value) => {
    expect(parseSavedTicket(value)).toBeNull();
  });

  it('follows the same ticket, from the status the server has now, to the login', async () => {
    const saved = await savedByEarlierPage();
    const scanToken = await phone.scan(saved.ticketId);
    const { client: page, log } = client();
    page.resume(saved);
    const ticket = await log.waitFor('ticket');
    expect(ticket).toMatchObject({ ticketId: saved.ticketId, qrcodeUrl: saved.qrcodeUrl, phoneUrl: saved.phoneUrl });
    expect(ticket.expiresAt.toISOString()).toBe(saved.expiresAt);
    expect(await log.waitFor('resumable')).toEqual(saved);
    await log.waitFor('status');
    expect(log.statuses()).toEqual(['scanned']);

    const user = await phone.confirm(saved.ticketId, { scanToken, user: 'erin' });
    const { token } = await log.waitFor('confirmed');
    expect((await fetchCurrentUser(server.url, token)).id).toBe(user.id);
    expect(log.statuses()).toEqual(['scanned', 'confirmed']);
    expect(log.of('error')).toEqual([]);
  });

  it('resumes by polling where there is no WebSocket', async () => {
    const saved = await savedByEarlierPage();
    const { client: page, log } = client({ WebSocket: null });
    page.resume(saved);
    expect((await log.waitFor('ticket')).ticketId).toBe(saved.ticketId);
    await phone.confirm(saved.ticketId);
    await log.waitFor('confirmed');
  });

  it('gets the token of a login confirmed in between, inside the redelivery window', async () => {
    const { client: earlier, log: earlierLog } = client();
    earlier.start();
    const saved = await earlierLog.waitFor('resumable');
    await waitUntil(() => proxy.openWebSockets === 1);
    await phone.confirm(saved.ticketId);
    const first = await earlierLog.waitFor('confirmed');

    const { client: page, log } = client();
    page.resume(saved);
    expect((await log.waitFor('confirmed')).token).toBe(first.token);
    expect(log.of('ticket').map((ticket) => ticket.ticketId)).toEqual([saved.ticketId]);
  });

  it.each([
    ['cancelled', (saved: SavedTicket) => phone.cancel(saved.ticketId)],
    ['unknown to the server', (saved: SavedTicket) => Object.assign(saved, { ticketId: UNKNOWN_TICKET_ID })],
    ['not this secret’s', (saved: SavedTicket) => Object.assign(saved, { secret: 'not-the-secret' })],
  ])('replaces a saved ticket that is %s with a fresh one', async (_what, spoil) => {
    const saved = await savedByEarlierPage();
    await spoil(saved);
    const { client: page, log } = client();
    page.resume(saved);
    const fresh = await log.waitFor('ticket');
    expect(fresh.ticketId).not.toBe(saved.ticketId);
    expect((await log.waitFor('resumable')).ticketId).toBe(fresh.ticketId);
    expect(log.of('ticket')).toHaveLength(1);
    await log.waitFor('status');
    expect(log.statuses()).toEqual(['pending']);
    await phone.confirm(fresh.ticketId);
    await log.waitFor('confirmed');
    expect(log.of('error')).toEqual([]);
  });

  it('replaces a saved ticket unknown to the server by polling too', async () => {
    const saved = { ...(await savedByEarlierPage()), ticketId: UNKNOWN_TICKET_ID };
    const { client: page, log } = client({ WebSocket: null });
    page.resume(saved);
    expect((await log.waitFor('ticket')).ticketId).not.toBe(UNKNOWN_TICKET_ID);
    expect(log.of('error')).toEqual([]);
  });

  it('replaces a saved ticket past its expiry without asking the server about it', async () => {
    const saved = await savedByEarlierPage();
    const past = new Date(Date.now() - 1000).toISOString();
    const { client: page, log } = client();
    const connectionsBefore = proxy.webSocketConnections;
    page.resume({ ...saved, expiresAt: past, localExpiresAt: past });
    const fresh = await log.waitFor('ticket');
    expect(fresh.ticketId).not.toBe(saved.ticketId);
    await waitUntil(() => proxy.openWebSockets === 1);
    expect(proxy.webSocketConnections).toBe(connectionsBefore + 1);
  });
});

describe('LoginClient.resume without redelivery', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TOKEN_REDELIVERY_SECONDS: '0' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('replaces a ticket whose login was confirmed and handed out already', async () => {
    const earlier = new LoginClient({ baseUrl: server.url, WebSocket });
    const earlierLog = new EventLog(earlier);
    earlier.start();
    const saved = await earlierLog.waitFor('resumable');
    await earlierLog.waitFor('status');
    await new PhoneSide(server.url).confirm(saved.ticketId);
    await earlierLog.waitFor('confirmed');

    const page = new LoginClient({ baseUrl: server.url, WebSocket });
    const log = new EventLog(page);
    page.resume(saved);
    expect((await log.waitFor('ticket')).ticketId).not.toBe(saved.ticketId);
    expect(log.of('error')).toEqual([]);
    expect(log.of('confirmed')).toEqual([]);
    page.stop();
  });
});
