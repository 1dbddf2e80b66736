import type { HttpClient } from './http-client';
import { PageSocket } from './page-socket';
import { summarize, Summary } from './summary';

/** `scan`: (a), a state change and its push. `confirm`: (b), which adds WeChat's jscode2session, the user upsert and the JWT. */
export type PushKind = 'scan' | 'confirm';

export interface PushLatencyOptions {
  samples: number;
  /** Samples taken first and thrown away (JIT warm-up). */
  warmup: number;
}

/**
 * One login at a time, so each push is timed alone: a fresh ticket and its subscribe
 * (not timed), then the timed request: scan, or (after an untimed scan and wx.login)
 * confirm. The clock starts just before the request is handed to node:http and stops when
 * the page's ws message arrives, whoever answers: our server, the floor or the naive
 * baseline. Each kind runs in its own loop, so the scan figures carry no confirm's garbage.
 */
export async function measurePushLatency(
  baseUrl: string,
  http: HttpClient,
  kind: PushKind,
  options: PushLatencyOptions,
): Promise<Summary> {
  const page = await PageSocket.open(baseUrl);
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.warmup + options.samples; i++) {
      const { ticketId, secret } = await http.json<{ ticketId: string; secret: string }>('POST', '/api/login/tickets', 201);
      const ticketPath = `/api/login/tickets/${ticketId}`;
      page.subscribe(ticketId, secret);
      await page.expect('pending');

      let sent = performance.now();
      const [{ scanToken }, scanned] = await Promise.all([
        http.json<{ scanToken: string }>('POST', `${ticketPath}/scan`, 200, {}),
        page.expect('scanned'),
      ]);
      let latency = scanned.receivedAt - sent;

      if (kind === 'confirm') {
        const { code } = await http.json<{ code: string }>('POST', '/__wechat__/sim/login', 200, { user: `push-user-${i}` });
        sent = performance.now();
        const [, confirmed] = await Promise.all([
          http.json('POST', `${ticketPath}/confirm`, 200, { scanToken, code }),
          page.expect('confirmed'),
        ]);
        if (typeof confirmed.token !== 'string') throw new Error('the confirmed message carried no token');
        latency = confirmed.receivedAt - sent;
      }
      if (i >= options.warmup) samples.push(latency);
    }
  } finally {
    page.close();
  }
  return summarize(samples);
}
