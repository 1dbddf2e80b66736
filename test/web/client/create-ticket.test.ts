import { createTicket } from '../../../web/src/client/create-ticket';
import { loginEndpoints } from '../../../web/src/client/endpoints';
import type { FetchLike, RequestInitLike } from '../../../web/src/client';

const BASE = 'https://login.example.com';
const TICKET = {
  ticketId: '4fZ8kQ2mN7xP1aB3cD5eF6',
  secret: 'secret',
  expiresAt: '2030-01-01T00:02:00.000Z',
  qrcodeUrl: '/api/login/tickets/4fZ8kQ2mN7xP1aB3cD5eF6/qrcode',
};
const PHONE_URL = `${BASE}/miniapp/#/pages/confirm/index?scene=${TICKET.ticketId}`;

/** A fetch that answers every request with `body` as a 201, as the server creates a ticket. */
function answering(body: object): FetchLike {
  return async () => ({ status: 201, headers: { get: () => null }, text: async () => JSON.stringify(body) });
}

async function ticketFrom(body: object) {
  return (await createTicket(answering(body), loginEndpoints(BASE), new AbortController().signal)).ticket;
}

describe('createTicket', () => {
  it("passes on the server's WeChat mode and the phone page of the code", async () => {
    const ticket = await ticketFrom({ ...TICKET, wechat: 'simulator', phoneUrl: PHONE_URL });
    expect(ticket).toMatchObject({ ticketId: TICKET.ticketId, wechat: 'simulator', phoneUrl: PHONE_URL });
    expect((await ticketFrom({ ...TICKET, wechat: 'real' })).wechat).toBe('real');
  });

  it('leaves both out when the server does not send them', async () => {
    const ticket = await ticketFrom(TICKET);
    expect('wechat' in ticket || 'phoneUrl' in ticket).toBe(false);
  });

  it.each([
    ['an unknown mode', { wechat: 'SIMULATOR' }, 'wechat'],
    ['a mode that is not a string', { wechat: true }, 'wechat'],
    ['a javascript: phone URL', { phoneUrl: 'javascript:alert(1)' }, 'phoneUrl'],
    ['a relative phone URL', { phoneUrl: '/miniapp/#/pages/confirm/index?scene=x' }, 'phoneUrl'],
    ['a phone URL that is not a string', { phoneUrl: 42 }, 'phoneUrl'],
  ])('drops %s, since pages show it and link to it', async (_what, extra, field) => {
    const ticket = await ticketFrom({ ...TICKET, ...extra });
    expect(field in ticket).toBe(false);
    expect(ticket.ticketId).toBe(TICKET.ticketId);
  });

  it("posts to the host's prefix and resolves the code's path against the server", async () => {
    const calls: { url: string; init?: RequestInitLike }[] = [];
    const fetchImpl: FetchLike = async (url, init) => {
      calls.push({ url, init });
      return answering({ ...TICKET, qrcodeUrl: `/auth/wechat/tickets/${TICKET.ticketId}/qrcode` })(url, init);
    };
    const { ticket } = await createTicket(fetchImpl, loginEndpoints(BASE, '/auth/wechat'), new AbortController().signal);
    expect(calls.map(({ url, init }) => [init?.method, url])).toEqual([['POST', `${BASE}/auth/wechat/tickets`]]);
    // A JSON body is what makes a cross-origin call preflighted: refused origins create nothing.
    expect(calls[0].init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(ticket.qrcodeUrl).toBe(`${BASE}/auth/wechat/tickets/${TICKET.ticketId}/qrcode`);
  });
});
