import type { Endpoint, HttpClient } from './http-client';
import { PageSocket } from './page-socket';

/**
 * The steps of one login, as the contract runs them. `scanPush` and `confirmPush` run
 * from sending the phone's request to the page's ws receiving the change, so they overlap
 * `scan` and `confirm`, which are the phone's HTTP round trips.
 */
export const LOGIN_STEPS = ['create', 'qrcode', 'subscribe', 'scan', 'scanPush', 'wxLogin', 'confirm', 'confirmPush', 'me'] as const;
export type LoginStep = (typeof LOGIN_STEPS)[number];
export type LoginTimes = Record<LoginStep | 'total', number>;

export class LoginFailed extends Error {
  constructor(
    readonly step: LoginStep,
    cause: unknown,
  ) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LoginFailed';
  }
}

/** Where each side of one login talks. With one server, all three are that server. */
export interface LoginSides {
  /** The web page's server: the ticket, its code image, the ws and /api/me. */
  page: Endpoint;
  /** Where the phone scans and confirms: another instance in the scale-out phase. */
  phone: HttpClient;
  /** Where wx.login gets its code: the server's embedded simulator, or the shared simulator's own process. */
  wechat: HttpClient;
}

/**
 * One visitor's whole login, the page's part and the phone's part in turn: create a
 * ticket, fetch its code image, subscribe over a new ws, scan, wx.login at the simulator,
 * confirm, receive the token on the ws, and call /api/me with it. Durations in ms.
 */
export async function runLogin(sides: LoginSides, user: string): Promise<LoginTimes> {
  const { page: { url, http }, phone, wechat } = sides;
  const times: Partial<LoginTimes> = {};
  let step: LoginStep = 'create';
  const timed = async <T>(name: LoginStep, action: () => Promise<T>): Promise<T> => {
    step = name;
    const started = performance.now();
    const result = await action();
    times[name] = performance.now() - started;
    return result;
  };

  const started = performance.now();
  let page: PageSocket | undefined;
  try {
    const ticket = await timed('create', () =>
      http.json<{ ticketId: string; secret: string; qrcodeUrl: string }>('POST', '/api/login/tickets', 201),
    );
    const ticketPath = `/api/login/tickets/${ticket.ticketId}`;
    await timed('qrcode', async () => {
      const image = await http.send('GET', ticket.qrcodeUrl);
      if (image.status !== 200 || image.body.length === 0) throw new Error(`code image answered ${image.status}`);
    });
    page = await timed('subscribe', async () => {
      const socket = await PageSocket.open(url);
      socket.subscribe(ticket.ticketId, ticket.secret);
      await socket.expect('pending');
      return socket;
    });

    const scanSent = performance.now();
    const { scanToken } = await timed('scan', () => phone.json<{ scanToken: string }>('POST', `${ticketPath}/scan`, 200, {}));
    step = 'scanPush';
    times.scanPush = (await page.expect('scanned')).receivedAt - scanSent;

    const { code } = await timed('wxLogin', () => wechat.json<{ code: string }>('POST', '/__wechat__/sim/login', 200, { user }));
    const confirmSent = performance.now();
    const confirmed = await timed('confirm', () =>
      phone.json<{ user: { id: string } }>('POST', `${ticketPath}/confirm`, 200, { scanToken, code }),
    );
    step = 'confirmPush';
    const delivered = await page.expect('confirmed');
    if (typeof delivered.token !== 'string') throw new Error('the confirmed message carried no token');
    times.confirmPush = delivered.receivedAt - confirmSent;

    await timed('me', async () => {
      const me = await http.json<{ user: { id: string } }>('GET', '/api/me', 200, undefined, {
        authorization: `Bearer ${delivered.token}`,
      });
      if (me.user.id !== confirmed.user.id) throw new Error('/api/me named another user');
    });
    times.total = performance.now() - started;
    return times as LoginTimes;
  } catch (error) {
    throw new LoginFailed(step, error);
  } finally {
    page?.close();
  }
}
