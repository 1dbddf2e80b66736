import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface HostSite {
  /** e.g. http://127.0.0.1:41235: another origin than the login server's. */
  url: string;
  /** Points the site at the login server (known only once it listens), with `replace` applied to its text files. */
  embed(loginServer: string, replace?: Record<string, string>): void;
  /** The bodies of the forms posted to it, in order. */
  posts: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * Another site on another port (so another origin) that embeds the login: a tiny static
 * server for `root`. It sends the strict policy such a site would, which is what the
 * component and the drop-in must live with: scripts and styles from itself (and the
 * drop-in from the login server), code images as blob:, calls to the login server over
 * http and ws. A form posted to `/session` is recorded and answered with a page.
 */
export async function startHostSite(root: string): Promise<HostSite> {
  let loginServer = '';
  let replace: Record<string, string> = {};
  const policy = () => [
    "default-src 'self'",
    `script-src 'self' ${loginServer}`,
    "style-src 'self'",
    "img-src 'self' blob:",
    `connect-src 'self' ${loginServer} ${loginServer.replace(/^http/, 'ws')}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  const posts: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    void answer(request).then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': policy(), 'Cache-Control': 'no-store' });
        response.end(body);
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });

  async function answer(request: IncomingMessage): Promise<{ status: number; type: string; body: string }> {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (request.method === 'POST' && path === '/session') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      posts.push(new URLSearchParams(Buffer.concat(chunks).toString()));
      return { status: 200, type: TYPES['.html'], body: '<!doctype html><title>Signed in</title><h1 id="signed-in">Signed in</h1>' };
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) return { status: 404, type: 'text/plain', body: 'not found' };
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) return { status: 404, type: 'text/plain', body: 'not found' };
    const body = Object.entries(replace).reduce((content, [from, to]) => content.split(from).join(to), text);
    return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    embed(server, replacements = {}) {
      loginServer = server;
      replace = replacements;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The browser's keep-alive connections would hold close() for seconds.
        server.closeAllConnections();
      }),
  };
}
