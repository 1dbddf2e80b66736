import type { Endpoint, HttpClient } from './http-client';
import { PageSocket } from './page-socket';
import { summarize, Summary } from './summary';

/** `scan`: (a), a state change and its push. `confirm`: (b), which adds WeChat's jscode2session, the user upsert and the JWT. */
export type PushKind = 'scan' | 'confirm';

export interface PushLatencyOptions {
  samples: number;
  /** Samples taken first and thrown away (JIT warm-up). */
  warmup: number;
}

/** Where a timed push starts and ends: the phone's request to one server, the page's ws on another or the same. */
export interface PushRoute {
  /** Where the ticket is made and the page's ws subscribes. */
  page: Endpoint;
  /** Where the phone scans (and gets its wx.login code and confirms). */
  phone: HttpClient;
}

/**
 * One login at a time, so each push is timed alone: a fresh ticket and its subscribe
 * (not timed), then the timed request: scan, or (after an untimed scan and wx.login)
 * confirm. The clock starts just before the request is handed to node:http and stops when
 * the page's ws message arrives, whoever answers: our server, the floor or the naive
 * baseline. Each kind runs in its own loop, so the scan figures carry no confirm's garbage.
 * With several routes, one sample of each in turn, so they share the machine's moments:
 * one summary per route.
 */
export async function measurePushLatency(routes: PushRoute[], kind: PushKind, options: PushLatencyOptions): Promise<Summary[]> {
  const pages: PageSocket[] = [];
  const samples = routes.map((): number[] => []);
  try {
    for (const route of routes) pages.push(await PageSocket.open(route.page.url));
    for (let i = 0; i < options.warmup + options.samples; i++) {
      for (const [r, route] of routes.entries()) {
        const latency = await timePush(route, pages[r], kind, i);
        if (i >= options.warmup) samples[r].push(latency);
      }
    }
  } finally {
    for (const page of pages) page.close();
  }
  return samples.map(summarize);
}

async function timePush({ page: server, phone }: PushRoute, page: PageSocket, kind: PushKind, i: number): Promise<number> {
  const { ticketId, secret } = await server.http.json<{ ticketId: string; secret: string }>('POST', '/api/login/tickets', 201);
  const ticketPath = `/api/login/tickets/${ticketId}`;
  page.subscribe(ticketId, secret);
  await page.expect('pending');

  let sent = performance.now();
  const [{ scanToken }, scanned] = await Promise.all([
    phone.json<{ scanToken: string }>('POST', `${ticketPath}/scan`, 200, {}),
    page.expect('scanned'),
  ]);
  if (kind === 'scan') return scanned.receivedAt - sent;

  const { code } = await phone.json<{ code: string }>('POST', '/__wechat__/sim/login', 200, { user: `push-user-${i}` });
  sent = performance.now();
  const [, confirmed] = await Promise.all([
    phone.json('POST', `${ticketPath}/confirm`, 200, { scanToken, code }),
    page.expect('confirmed'),
  ]);
  if (typeof confirmed.token !== 'string') throw new Error('the confirmed message carried no token');
  return confirmed.receivedAt - sent;
}
