import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { serveProbe } from './process-probe';

/**
 * The least a push server can do, speaking just enough of our contract for the bench's
 * client to drive it unchanged: ws subscribe → `pending`; `POST /api/login/tickets` → an
 * id; `POST /api/login/tickets/:id/scan` → send `scanned` to the socket named in the path.
 * No state machine, no secret, no validation.
 *
 * `index` finds the socket in a Map: the floor. `scan` walks every connected client for
 * the one tagged with the ticket, as the popular blog posts do: the naive baseline.
 * Usage: node --expose-gc --require tsx/cjs bench/bare-server.ts index|scan
 */
type Lookup = 'index' | 'scan';

interface TaggedSocket extends WebSocket {
  ticketId?: string;
}

const WS_PATH = '/api/login/ws';
const SCAN_PATH = /^\/api\/login\/tickets\/([^/]+)\/scan$/;
const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
const status = (value: string) => JSON.stringify({ type: 'status', status: value, expiresAt });

function main(lookup: Lookup): void {
  const byTicket = new Map<string, TaggedSocket>();
  const server = createServer();
  const wss = new WebSocketServer({ server, path: WS_PATH });

  const find = (ticketId: string): TaggedSocket | undefined => {
    if (lookup === 'index') return byTicket.get(ticketId);
    for (const client of wss.clients as Set<TaggedSocket>) {
      if (client.ticketId === ticketId && client.readyState === WebSocket.OPEN) return client;
    }
    return undefined;
  };

  wss.on('connection', (ws: TaggedSocket) => {
    ws.on('message', (data) => {
      const { ticketId } = JSON.parse(String(data)) as { ticketId: string };
      if (ws.ticketId) byTicket.delete(ws.ticketId);
      ws.ticketId = ticketId;
      if (lookup === 'index') byTicket.set(ticketId, ws);
      ws.send(status('pending'));
    });
    ws.on('close', () => {
      if (ws.ticketId && byTicket.get(ws.ticketId) === ws) byTicket.delete(ws.ticketId);
    });
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const scan = SCAN_PATH.exec(request.url ?? '');
      if (request.method === 'POST' && request.url === '/api/login/tickets') {
        reply(response, 201, { ticketId: randomBytes(16).toString('base64url'), secret: '' });
      } else if (request.method === 'POST' && scan) {
        const socket = find(scan[1]);
        socket?.send(status('scanned'));
        reply(response, socket ? 200 : 404, { status: 'scanned' });
      } else {
        reply(response, 404, {});
      }
    });
  });

  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    serveProbe(`http://127.0.0.1:${port}`, async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  });
}

function reply(response: ServerResponse, statusCode: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const lookup = process.argv[2];
if (lookup !== 'index' && lookup !== 'scan') {
  console.error('usage: bare-server.ts index|scan');
  process.exit(2);
}
main(lookup);
