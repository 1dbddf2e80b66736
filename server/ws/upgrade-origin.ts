import type { IncomingMessage } from 'node:http';

/**
 * Which pages may open the login socket. Browsers do not apply CORS to WebSockets, so the
 * server checks the `Origin` header itself (Cross-Site WebSocket Hijacking): the page's own
 * origin (the one `publicUrl` names, or the host the request was addressed to), and the
 * exact origins of `CORS_ORIGINS`. A request without `Origin` is no browser page (a
 * server-side client) and cannot be driven by another site, so it passes; the ticket's
 * secret guards the socket in every case.
 */
export class UpgradeOrigins {
  private readonly allowed: Set<string>;

  constructor(
    corsOrigins: readonly string[],
    private readonly publicOrigin: string | undefined,
    private readonly trustedHops: number,
  ) {
    this.allowed = new Set(corsOrigins);
  }

  allows(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (this.allowed.has(origin) || origin === this.publicOrigin) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    return host !== '' && this.addressedHosts(request).includes(host);
  }

  /** The Host header, and the host a trusted proxy says the browser addressed. */
  private addressedHosts(request: IncomingMessage): string[] {
    const hosts = [request.headers.host ?? ''];
    const forwarded = request.headers['x-forwarded-host'];
    if (this.trustedHops > 0 && typeof forwarded === 'string') hosts.push(forwarded.split(',')[0].trim());
    return hosts.filter((host) => host !== '').map((host) => host.toLowerCase());
  }
}
