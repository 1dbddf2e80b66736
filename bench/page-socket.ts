import WebSocket from 'ws';

export const WS_PATH = '/api/login/ws';

export interface PageMessage {
  type: string;
  status: string;
  token?: string;
  user?: unknown;
  /** performance.now() when the message arrived, before it was parsed. */
  receivedAt: number;
}

/** The ws options of every bench client: no compression, which a page's few small messages do not need. */
export const CLIENT_OPTIONS: WebSocket.ClientOptions = { perMessageDeflate: false };

/**
 * A login page's socket: subscribes to a ticket and hands out the status messages in
 * order, each stamped with its arrival time, which is where push latency ends.
 */
export class PageSocket {
  private readonly queue: PageMessage[] = [];
  private waiter?: () => void;
  private closed?: string;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const receivedAt = performance.now();
      this.queue.push({ ...JSON.parse(data.toString()), receivedAt });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = `closed ${code} ${reason.toString()}`;
      this.wake();
    });
  }

  static open(baseUrl: string): Promise<PageSocket> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + WS_PATH, CLIENT_OPTIONS);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => undefined);
        resolve(new PageSocket(ws));
      });
      ws.once('error', reject);
    });
  }

  subscribe(ticketId: string, secret: string): void {
    this.ws.send(JSON.stringify({ type: 'subscribe', ticketId, secret }));
  }

  /** The next message not handed out yet; rejects if the socket closes or nothing comes in time. */
  async next(timeoutMs = 10_000): Promise<PageMessage> {
    const deadline = performance.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error(`page socket ${this.closed}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no ws message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.queue.shift()!;
  }

  /** The next message, which must have `status`. */
  async expect(status: string, timeoutMs?: number): Promise<PageMessage> {
    const message = await this.next(timeoutMs);
    if (message.status !== status) throw new Error(`expected ws status ${status}, got ${message.status}`);
    return message;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
