import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the real server, so client tests can take the network away
 * the way it goes away in life: connections cut mid-way, WebSocket upgrades refused.
 */
export class TcpProxy {
  /** Refuse every WebSocket upgrade (plain HTTP still passes). */
  blockWebSockets = false;
  /**
   * Once: cut the WebSocket connection instead of passing on the next server frame whose
   * text matches (server frames are unmasked, so a small JSON message reads as it is). The
   * connection dies the moment that message is sent, as a dropped network does.
   */
  cutWebSocketOn: RegExp | null = null;
  /** WebSocket connections opened through the proxy so far. */
  webSocketConnections = 0;
  /** Plain HTTP requests relayed so far (keep-alive connections carry several). */
  httpRequests = 0;
  private readonly open = new Set<{ client: Socket; upstream: Socket; webSocket: boolean }>();
  private readonly server = createServer((client) => this.relay(client));
  private port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(targetUrl);
    const proxy = new TcpProxy({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** Where the proxy listens; kept after close(), when it refuses connections. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open WebSocket connections right now. */
  get openWebSockets(): number {
    return [...this.open].filter((pair) => pair.webSocket).length;
  }

  /** Cuts every open WebSocket connection, as a dropped network does. */
  dropWebSockets(): void {
    for (const pair of this.open) {
      if (!pair.webSocket) continue;
      this.open.delete(pair);
      pair.client.destroy();
      pair.upstream.destroy();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.open) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private countRequests(client: Socket, first: Buffer): void {
    const count = (chunk: Buffer) => {
      if (/^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) /.test(chunk.toString('latin1', 0, 8))) this.httpRequests += 1;
    };
    count(first);
    client.on('data', count);
  }

  private relay(client: Socket): void {
    client.once('data', (first: Buffer) => {
      const webSocket = /^upgrade:\s*websocket/im.test(first.toString('latin1'));
      if (webSocket && this.blockWebSockets) {
        client.destroy();
        return;
      }
      if (webSocket) this.webSocketConnections += 1;
      else this.countRequests(client, first);
      const upstream = connect(this.target.port, this.target.host);
      const pair = { client, upstream, webSocket };
      this.open.add(pair);
      const end = () => {
        this.open.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', end).on('close', end);
      client.on('error', end).on('close', end);
      upstream.write(first);
      client.pipe(upstream);
      if (!webSocket) {
        upstream.pipe(client);
        return;
      }
      upstream.on('data', (chunk: Buffer) => {
        if (!this.cutWebSocketOn?.test(chunk.toString('latin1'))) {
          client.write(chunk);
          return;
        }
        this.cutWebSocketOn = null;
        end();
      });
    });
    client.on('error', () => client.destroy());
  }
}
