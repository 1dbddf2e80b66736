import { LoginClient, type FetchLike, type WebSocketLike } from '../../../web/src/client';
import { loginEndpoints } from '../../../web/src/client/endpoints';
import { EventLog } from './event-log';
import { waitUntil } from './wait-until';

const BASE = 'https://login.example.com';
const TICKETS_URL = '/oidc/interaction/uid-1/tickets';
const TICKET = {
  ticketId: '4fZ8kQ2mN7xP1aB3cD5eF6',
  secret: 'secret',
  expiresAt: new Date(Date.now() + 120_000).toISOString(),
  qrcodeUrl: '/api/login/tickets/4fZ8kQ2mN7xP1aB3cD5eF6/qrcode',
};

/** A server that creates TICKET on any POST and says `pending` to any poll, recording each call. */
function fakeServer() {
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const created = init?.method === 'POST';
    const body = created ? TICKET : { status: 'pending', expiresAt: TICKET.expiresAt };
    return { status: created ? 201 : 200, headers: { get: () => null }, text: async () => JSON.stringify(body) };
  };
  return { calls, fetch };
}

/** A ws that records where it was opened and never opens, so the client falls back to polling. */
function recordingSocket(urls: string[]) {
  return class implements WebSocketLike {
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    constructor(url: string) {
      urls.push(url);
      setTimeout(() => this.onclose?.({ code: 1006, reason: '' }), 0);
    }
    send(): void {}
    close(): void {}
  };
}

describe('ticketsUrl', () => {
  let client: LoginClient | undefined;
  afterEach(() => client?.stop());

  it('moves only the creation of tickets: a path is resolved against the server, an absolute URL kept', () => {
    const endpoints = loginEndpoints(`${BASE}/`, '/api/login', TICKETS_URL);
    expect(endpoints.tickets).toBe(`${BASE}${TICKETS_URL}`);
    expect(endpoints.ticket('a')).toBe(`${BASE}/api/login/tickets/a`);
    expect(endpoints.socket).toBe('wss://login.example.com/api/login/ws');
    const elsewhere = 'https://other.example.com/t';
    expect(loginEndpoints(BASE, '/api/login', elsewhere).tickets).toBe(elsewhere);
  });

  it('start() creates the ticket there, and its status is followed under the prefix, ws then polls', async () => {
    const server = fakeServer();
    const sockets: string[] = [];
    client = new LoginClient({
      baseUrl: BASE,
      prefix: '/auth/wechat',
      ticketsUrl: TICKETS_URL,
      fetch: server.fetch,
      WebSocket: recordingSocket(sockets),
      pageOrigin: null,
      reconnectDelayMs: 1,
      maxReconnectDelayMs: 5,
      pollIntervalMs: 10,
    });
    const log = new EventLog(client);
    client.start();
    expect((await log.waitFor('ticket')).qrcodeUrl).toBe(`${BASE}${TICKET.qrcodeUrl}`);
    await log.waitFor('transport', ({ transport }) => transport === 'polling');
    await waitUntil(() => server.calls.length >= 2);
    expect(server.calls.slice(0, 2)).toEqual([
      `POST ${BASE}${TICKETS_URL}`,
      `GET ${BASE}/auth/wechat/tickets/${TICKET.ticketId}`,
    ]);
    expect(new Set(sockets)).toEqual(new Set(['wss://login.example.com/auth/wechat/ws']));
  });

  it('leaves the default where it was: tickets under the prefix', async () => {
    const server = fakeServer();
    client = new LoginClient({ baseUrl: BASE, fetch: server.fetch, WebSocket: null, pageOrigin: null });
    const log = new EventLog(client);
    client.start();
    await log.waitFor('ticket');
    expect(server.calls[0]).toBe(`POST ${BASE}/api/login/tickets`);
  });
});

