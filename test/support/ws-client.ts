import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A real ws client that records every message and the close, so tests can wait for
 * "the next message" or "the close" and check nothing else arrived.
 */
export class WsClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly closed: Promise<Closed>;
  private readonly socket: WebSocket;
  private waiters: (() => void)[] = [];

  constructor(url: string, path = '/api/login/ws') {
    this.socket = new WebSocket(`${url}${path}`);
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  async open(): Promise<this> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      await new Promise((resolve, reject) => {
        this.socket.once('open', resolve);
        this.socket.once('error', reject);
      });
    }
    return this;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  subscribe(ticketId: string, secret: string): void {
    this.send({ type: 'subscribe', ticketId, secret });
  }

  /** Resolves with message number `index` (0-based) once it has arrived. */
  async message(index: number, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length <= index) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message #${index} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages[index];
  }

  /** Calls `listener` on every ping the server sends (ws answers the pong by itself). */
  onPing(listener: () => void): void {
    this.socket.on('ping', listener);
  }

  close(): void {
    this.socket.close();
  }
}
