import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, RawData } from 'ws';
import type { LoginService } from '../core/login-service';
import { AppError, SecretInvalid, TicketNotFound } from '../errors';
import type { PushHub, PushSocket, StatusMessage } from '../push/push-hub';
import { parseSubscribe } from './subscribe-message';

export const WS_PATH = '/api/login/ws';
/** ws closes a socket whose message is larger than this (1009, "Max payload size exceeded"). */
export const WS_MAX_MESSAGE_BYTES = 4096;
/** How often the pinger wakes; each wake pings its share of the sockets. */
const PING_TICK_MS = 250;

/** Close codes of the contract: the page tells the cases apart by these. */
export const CloseCode = {
  MALFORMED: 4400,
  SECRET_INVALID: 4401,
  TICKET_NOT_FOUND: 4404,
  INTERNAL: 1011,
} as const;

interface Options {
  service: LoginService;
  hub: PushHub;
  log: Logger;
  pingIntervalMs: number;
}

/** Adapts a ws socket to what the hub needs. */
class WsPushSocket implements PushSocket {
  alive = true;
  constructor(readonly ws: WebSocket) {}
  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
  send(message: StatusMessage): void {
    if (this.isOpen) this.ws.send(JSON.stringify(message));
  }
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}

function closeFor(error: unknown): [number, string] {
  if (error instanceof TicketNotFound) return [CloseCode.TICKET_NOT_FOUND, 'unknown ticket'];
  if (error instanceof SecretInvalid) return [CloseCode.SECRET_INVALID, 'wrong secret'];
  if (error instanceof AppError && error.status === 400) return [CloseCode.MALFORMED, error.message.slice(0, 120)];
  return [CloseCode.INTERNAL, 'internal error'];
}

/**
 * The page's socket at /api/login/ws, on the HTTP server's port. Thin: parse, authorize
 * through the service, hand to the hub. Dead peers are found by ping/pong and dropped.
 */
export function attachWebSocketServer(server: Server, options: Options): { close(): Promise<void> } {
  const { service, hub, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  const sockets = new Set<WsPushSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws));
  };

  const onConnection = (ws: WebSocket) => {
    const socket = new WsPushSocket(ws);
    sockets.add(socket);
    ws.on('pong', () => (socket.alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(socket, data, isBinary));
    ws.on('close', () => {
      sockets.delete(socket);
      hub.unsubscribe(socket);
    });
    ws.on('error', (error) => log.debug({ err: error }, 'ws socket error'));
  };

  const onMessage = async (socket: WsPushSocket, data: RawData, isBinary: boolean) => {
    try {
      const message = parseSubscribe(isBinary ? undefined : data.toString());
      const ticket = await service.authorize(message.ticketId, message.secret);
      await hub.subscribe(socket, ticket);
    } catch (error) {
      const [code, reason] = closeFor(error);
      if (code === CloseCode.INTERNAL) log.error({ err: error }, 'ws subscribe failed');
      socket.close(code, reason);
    }
  };

  // Pinging every socket in one sweep blocked the event loop for 370 ms every interval with
  // 10,000 pages waiting (a socket write each). Each tick instead takes the next share of
  // them, so every socket is still checked and pinged once an interval, a few ms at a time.
  const tickMs = Math.min(options.pingIntervalMs, PING_TICK_MS);
  const ticksPerRound = Math.round(options.pingIntervalMs / tickMs);
  let round: Iterator<WsPushSocket> | undefined;
  const pinger = setInterval(() => {
    const share = Math.ceil(sockets.size / ticksPerRound);
    for (let i = 0; i < share; i++) {
      let next = round?.next();
      if (!next || next.done) {
        round = sockets.values();
        next = round.next();
        if (next.done) return;
      }
      const socket = next.value;
      if (!socket.alive) {
        socket.ws.terminate();
        continue;
      }
      socket.alive = false;
      socket.ws.ping();
    }
  }, tickMs);
  pinger.unref();

  server.on('upgrade', onUpgrade);
  return {
    async close() {
      clearInterval(pinger);
      server.off('upgrade', onUpgrade);
      for (const socket of sockets) socket.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
