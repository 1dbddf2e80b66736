import WebSocket from 'ws';
import type { HttpClient } from './http-client';
import { CLIENT_OPTIONS, WS_PATH } from './page-socket';
import { runPool } from './run-pool';

/** How many pages connect at once: a crowd arriving, not a SYN flood past the listen backlog. */
const OPENING_CONCURRENCY = 128;

/**
 * Login pages that sit waiting: each made its own ticket and subscribed to it over ws,
 * then does nothing. Kept as bare sockets (no queue, no listeners beyond `error`), so
 * 15,000 of them fit in the load generator beside everything else.
 */
export class WaitingBrowsers {
  private readonly sockets: WebSocket[] = [];
  private readonly wsUrl: string;

  constructor(
    baseUrl: string,
    private readonly http: HttpClient,
  ) {
    this.wsUrl = baseUrl.replace(/^http/, 'ws') + WS_PATH;
  }

  /** Opens pages until `total` wait; resolves once each has its `pending` snapshot. */
  async grow(total: number): Promise<void> {
    await runPool(Math.max(0, total - this.sockets.length), OPENING_CONCURRENCY, () => this.openOne());
  }

  /** Drops every page at once, without a closing handshake, as when browsers are killed. */
  close(): void {
    for (const socket of this.sockets.splice(0)) socket.terminate();
  }

  private async openOne(): Promise<void> {
    const { ticketId, secret } = await this.http.json<{ ticketId: string; secret: string }>('POST', '/api/login/tickets', 201);
    const socket = new WebSocket(this.wsUrl, CLIENT_OPTIONS);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', ticketId, secret })));
      socket.once('message', (data) => {
        const { status } = JSON.parse(data.toString()) as { status: string };
        if (status === 'pending') resolve();
        else reject(new Error(`a waiting page got ${status} on subscribe`));
      });
    });
    socket.removeAllListeners('error');
    socket.on('error', () => undefined);
    this.sockets.push(socket);
  }
}
