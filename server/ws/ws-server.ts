import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, RawData } from 'ws';
import type { LoginService } from '../core/login-service';
import { AppError, SecretInvalid, StoreUnavailable, TicketNotFound } from '../errors';
import { clientIp } from '../limits/client-ip';
import { ipKey } from '../limits/ip-key';
import type { Metrics } from '../metrics/metrics';
import type { PushHub, PushSocket, StatusMessage } from '../push/push-hub';
import { Pinger } from './pinger';
import { parseSubscribe } from './subscribe-message';
import type { UpgradeOrigins } from './upgrade-origin';

/** How long a closing socket may take to answer the close frame before it is cut. */
const CLOSE_GRACE_MS = 1000;
/** ws closes a socket whose message is larger than this (1009, "Max payload size exceeded"). */
export const WS_MAX_MESSAGE_BYTES = 4096;

/** Close codes of the contract: the page tells the cases apart by these. */
export const CloseCode = {
  MALFORMED: 4400,
  SECRET_INVALID: 4401,
  TICKET_NOT_FOUND: 4404,
  SUBSCRIBE_TIMEOUT: 4408,
  INTERNAL: 1011,
  /** A store (Redis) cannot be reached for now: the page reconnects, polling meanwhile. */
  TRY_AGAIN_LATER: 1013,
  /** The server is restarting: the page reconnects and resumes. */
  SERVICE_RESTART: 1012,
} as const;

interface Options {
  /** The one upgrade path this server answers, e.g. '/api/login/ws'; others are left to the host. */
  path: string;
  service: LoginService;
  hub: PushHub;
  log: Logger;
  /** As TRUST_PROXY: how many proxies' X-Forwarded-For entries to believe. */
  trustedHops: number;
  /** A socket that has not subscribed by then is closed (4408); 0 waits forever. */
  subscribeTimeoutMs: number;
  /** Open sockets one client (IP, IPv6 /64) may hold; 0 is no cap. */
  maxConnectionsPerIp: number;
  pingIntervalMs: number;
  /** True once a shutdown began: new sockets would only be closed again at once. */
  draining: () => boolean;
  /** Pages of other origins are refused (403) unless listed. */
  origins: UpgradeOrigins;
  /** Where a refused upgrade (the per-IP cap) is counted; none by default. */
  metrics?: Metrics;
}

/** Adapts a ws socket to what the hub needs. */
class WsPushSocket implements PushSocket {
  alive = true;
  subscribeTimer?: NodeJS.Timeout;
  constructor(
    readonly ws: WebSocket,
    readonly key: string,
  ) {}
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

export function refuseUpgrade(socket: Duplex, status: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

function closeFor(error: unknown): [number, string] {
  if (error instanceof TicketNotFound) return [CloseCode.TICKET_NOT_FOUND, 'unknown ticket'];
  if (error instanceof SecretInvalid) return [CloseCode.SECRET_INVALID, 'wrong secret'];
  if (error instanceof AppError && error.status === 400) return [CloseCode.MALFORMED, error.message.slice(0, 120)];
  if (error instanceof StoreUnavailable) return [CloseCode.TRY_AGAIN_LATER, 'store unavailable, try again'];
  return [CloseCode.INTERNAL, 'internal error'];
}

/**
 * The page's socket at `${prefix}/ws`, on the HTTP server's port. Thin: parse, authorize
 * through the service, hand to the hub. Dead peers are found by ping/pong and dropped.
 */
export function attachWebSocketServer(server: Server, options: Options): { close(): Promise<void> } {
  const { service, hub, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  const sockets = new Set<WsPushSocket>();
  const perKey = new Map<string, number>();
  const pinger = new Pinger<WsPushSocket>(options.pingIntervalMs, (socket) => {
    if (!socket.alive) return socket.ws.terminate();
    socket.alive = false;
    socket.ws.ping();
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== options.path) return;
    if (options.draining()) return refuseUpgrade(socket, '503 Service Unavailable', 'Retry-After: 1\r\n');
    if (!options.origins.allows(request)) return refuseUpgrade(socket, '403 Forbidden');
    const key = ipKey(clientIp(request, options.trustedHops));
    const open = perKey.get(key) ?? 0;
    // Each open socket costs memory and a ping; one client holding thousands is an attack.
    if (options.maxConnectionsPerIp > 0 && open >= options.maxConnectionsPerIp) {
      options.metrics?.limitHit('ws-connections-per-ip');
      return refuseUpgrade(socket, '429 Too Many Requests', 'Retry-After: 10\r\n');
    }
    perKey.set(key, open + 1);
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, key));
  };

  const onConnection = (ws: WebSocket, key: string) => {
    const socket = new WsPushSocket(ws, key);
    sockets.add(socket);
    pinger.add(socket);
    if (options.subscribeTimeoutMs > 0) {
      socket.subscribeTimer = setTimeout(
        () => socket.close(CloseCode.SUBSCRIBE_TIMEOUT, 'subscribe timeout'),
        options.subscribeTimeoutMs,
      );
    }
    ws.on('pong', () => (socket.alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(socket, data, isBinary));
    ws.on('close', () => {
      clearTimeout(socket.subscribeTimer);
      sockets.delete(socket);
      pinger.delete(socket);
      const left = (perKey.get(key) ?? 1) - 1;
      if (left > 0) perKey.set(key, left);
      else perKey.delete(key);
      hub.unsubscribe(socket);
    });
    ws.on('error', (error) => log.debug({ err: error }, 'ws socket error'));
  };

  const onMessage = async (socket: WsPushSocket, data: RawData, isBinary: boolean) => {
    try {
      const message = parseSubscribe(isBinary ? undefined : data.toString());
      const ticket = await service.authorize(message.ticketId, message.secret);
      clearTimeout(socket.subscribeTimer);
      await hub.subscribe(socket, ticket);
    } catch (error) {
      const [code, reason] = closeFor(error);
      if (code === CloseCode.INTERNAL) log.error({ err: error }, 'ws subscribe failed');
      socket.close(code, reason);
    }
  };

  server.on('upgrade', onUpgrade);
  return {
    async close() {
      pinger.stop();
      server.off('upgrade', onUpgrade);
      const closed = [...sockets].map((socket) => new Promise((resolve) => socket.ws.once('close', resolve)));
      for (const socket of sockets) socket.close(CloseCode.SERVICE_RESTART, 'service restart');
      // The close handshake takes a round trip; a peer that does not answer is cut off.
      const grace = setTimeout(() => sockets.forEach((socket) => socket.ws.terminate()), CLOSE_GRACE_MS);
      await Promise.all(closed);
      clearTimeout(grace);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
