import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { serveProbe } from './process-probe';

/**
 * The least a push server can do, speaking just enough of our contract for the bench's
 * client to drive it unchanged through a whole login: ws subscribe → `pending`;
 * `POST /api/login/tickets` → an id and a code image path; `GET` that path → bytes the size
 * of our code image; `POST …/:id/scan` → send `scanned` to the socket subscribed to the
 * ticket; `POST …/:id/confirm` → send `confirmed` with a token and a user; `GET /api/me`
 * with that token → the user. No state machine, no secret, no validation, no storage, no
 * WeChat: the CPU floor of the requests a login makes.
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
const TICKET_PATH = /^\/api\/login\/tickets\/([^/]+)\/(scan|confirm|qrcode)$/;
/** What our simulator's 1-bit PNG of a default code weighs. */
const CODE_IMAGE = randomBytes(838);
const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
const status = (value: string, extra: object = {}) => JSON.stringify({ type: 'status', status: value, expiresAt, ...extra });
const newId = () => randomBytes(16).toString('base64url');

function main(lookup: Lookup): void {
  const byTicket = new Map<string, TaggedSocket>();
  const users = new Map<string, { id: string }>();
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

  const push = (response: ServerResponse, ticketId: string, message: string, body: object) => {
    const socket = find(ticketId);
    socket?.send(message);
    reply(response, socket ? 200 : 404, body);
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const [, ticketId, action] = TICKET_PATH.exec(request.url ?? '') ?? [];
      if (request.method === 'POST' && request.url === '/api/login/tickets') {
        const id = newId();
        reply(response, 201, { ticketId: id, secret: '', expiresAt, qrcodeUrl: `/api/login/tickets/${id}/qrcode` });
      } else if (request.method === 'GET' && action === 'qrcode') {
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': CODE_IMAGE.length });
        response.end(CODE_IMAGE);
      } else if (request.method === 'POST' && action === 'scan') {
        push(response, ticketId, status('scanned'), { status: 'scanned', scanToken: newId() });
      } else if (request.method === 'POST' && action === 'confirm') {
        const user = { id: newId() };
        const token = newId();
        users.set(token, user);
        push(response, ticketId, status('confirmed', { token, user }), { status: 'confirmed', user });
      } else if (request.method === 'GET' && request.url === '/api/me') {
        const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
        const user = users.get(token);
        // A bench token is asked for once: forgetting it keeps the map as small as the logins in flight.
        users.delete(token);
        reply(response, user ? 200 : 401, { user });
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
