import type { AddressInfo, Server } from 'node:net';

/** Where a listening server answers on this machine (loopback when bound to all). */
export function loopbackUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
