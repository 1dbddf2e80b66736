import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * The HTTP side of a graceful shutdown. Once `drain` is called the server accepts no new
 * connection, tells every response's client not to reuse its connection, and waits
 * (up to a deadline) for the requests in flight, such as a confirm that has already
 * spent the user's WeChat code, to finish.
 */
export class Draining {
  private draining = false;
  private inFlight = 0;
  private settled?: () => void;

  constructor(private readonly server: Server) {
    server.on('request', (_request, response) => {
      this.inFlight++;
      if (this.draining) response.setHeader('Connection', 'close');
      response.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.settled?.();
      });
    });
  }

  get active(): boolean {
    return this.draining;
  }

  /** Stops accepting and resolves once no request is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    // Stop listening only: http.Server#close would also drop the idle keep-alive
    // connections, and with them a proxy's chance to read "draining" from /healthz on a
    // connection it already holds. Every answer from now on closes its connection.
    NetServer.prototype.close.call(this.server);
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.settled = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}
