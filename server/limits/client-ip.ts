import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The address of the client as the nearest trusted proxy saw it.
 *
 * `X-Forwarded-For` is a list each proxy appends to; only the last `trustedHops` entries
 * were written by proxies we run. Anything to their left was written by the client and
 * is whatever it wants to be ("127.0.0.1", a script, nothing): taking the leftmost entry
 * would let anyone choose the IP the phone shows, the audit stores and the limiter keys on.
 * A value that is not a syntactically valid IP is never used; the socket address is.
 */
export function clientIp(request: IncomingMessage, trustedHops: number): string {
  const socketIp = normalize(request.socket.remoteAddress ?? '') ?? '0.0.0.0';
  if (trustedHops === 0) return socketIp;
  const header = request.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return socketIp;
  // Fewer entries than hops: the request came in through fewer proxies, so the leftmost
  // one is still the address a proxy of ours wrote.
  const written = entries[Math.max(0, entries.length - trustedHops)];
  return normalize(written) ?? socketIp;
}

/** A valid IP in its plain form (IPv4-mapped IPv6 as IPv4), or undefined. */
export function normalize(ip: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const plain = mapped ? mapped[1] : ip;
  return isIP(plain) ? plain.toLowerCase() : undefined;
}
