import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One URL in front of several instances, as a load balancer is: the issuer must be one
 * URL, so PUBLIC_URL is this proxy's. Each request goes to the instance `route(path)`
 * names, so a test decides which instance serves which step (a round-robin would make the
 * same point only by chance), and `served` records where each one went.
 */
export class RoutingProxy {
  readonly served: { method: string; path: string; target: string }[] = [];
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    const target = this.route(path.split('?')[0]);
    this.served.push({ method: incoming.method ?? 'GET', path, target });
    const upstream = request(`${target}${path}`, { method: incoming.method, headers: incoming.headers, agent: this.agent }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });

  private constructor(private readonly route: (path: string) => string) {}

  /** `route` gets the path without its query and returns an instance's base URL. */
  static async start(route: (path: string) => string): Promise<RoutingProxy> {
    const proxy = new RoutingProxy(route);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The instance that served the first request whose path starts with `prefix`. */
  servedBy(prefix: string): string | undefined {
    return this.served.find((entry) => entry.path.startsWith(prefix))?.target;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
