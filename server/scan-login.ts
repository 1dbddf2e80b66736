import Router from '@koa/router';
import Koa, { Context, Middleware, Next } from 'koa';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { resolveJwtSecret } from './auth/jwt-secret';
import { Sessions } from './auth/sessions';
import { JwtSigner } from './auth/token-signer';
import { systemClock } from './core/clock';
import { LoginGranted, LoginService } from './core/login-service';
import { cryptoRandom } from './core/random';
import { RouteNotFound, WeChatQuotaProtected } from './errors';
import { browserScriptRoutes } from './http/browser-script-routes';
import { clientAddress } from './http/client-address';
import { cors } from './http/cors';
import { errorHandler } from './http/error-handler';
import { logoutRoutes } from './http/logout-routes';
import { requestContext } from './http/request-context';
import { requesterView } from './http/requester-view';
import { ticketRoutes } from './http/ticket-routes';
import { LiveTickets } from './limits/live-tickets';
import { RateBudget } from './limits/rate-budget';
import { createLogger } from './log';
import { InProcessBus } from './push/event-bus';
import { isFinal, PushHub } from './push/push-hub';
import { ResolvedOptions, resolveOptions, ScanLoginOptions } from './scan-login-options';
import { SqliteAccessTokenStore } from './stores/sqlite-access-token-store';
import { openSqlite } from './stores/sqlite-database';
import { SqliteRevocationStore } from './stores/sqlite-revocation-store';
import { SqliteTicketStore } from './stores/sqlite-ticket-store';
import { SqliteUserStore } from './stores/sqlite-user-store';
import type { PublicUser } from './stores/user-store';
import { CodeImages } from './wechat/code-images';
import { SIMULATED_APPID, SIMULATED_SECRET } from './wechat/simulator/simulated-app';
import { simulatorRouter } from './wechat/simulator/simulator-router';
import { WeChatSimulator } from './wechat/simulator/wechat-simulator';
import { WeChatClient } from './wechat/wechat-client';
import { attachWebSocketServer } from './ws/ws-server';
import { UpgradeOrigins } from './ws/upgrade-origin';

export const DATABASE_FILE = 'mp-scan-login.db';
const SIMULATOR_PREFIX = '/__wechat__';

export interface ScanLogin {
  /** Koa middleware: answers under the prefix (and /__wechat__ with the simulator), calls next() for the rest. */
  middleware: Middleware;
  /** The same for node:http and Express: `handler(req, res, next?)`; without next, other paths get a 404. */
  handler: (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;
  /** Handles ws upgrades on `${prefix}/ws` of this server; other upgrades are left alone. */
  attach(server: Server): void;
  /** The user a project JWT belongs to; undefined when invalid, expired or logged out. */
  verify(token: string): Promise<PublicUser | undefined>;
  /** Revokes a project JWT at once (what `POST ${prefix}/logout` does). */
  logout(token: string): Promise<boolean>;
  /** A shutdown began: new ws upgrades are refused (503) while the host drains its HTTP. */
  drain(): void;
  /** Closes the library's sockets (1012, so pages reconnect elsewhere) and stores; the host process can exit. */
  close(): Promise<void>;
  readonly prefix: string;
  readonly wechat: 'simulator' | 'real';
  /** The embedded WeChat simulator, when no credentials were given. */
  readonly simulator?: WeChatSimulator;
  readonly service: LoginService;
}

/** Where a listening server answers on this machine (loopback when bound to all). */
function loopbackUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/**
 * The composition root: every store, the WeChat client (or the simulator), the login
 * core, the push hub and the HTTP routes, built from one set of options. The standalone
 * server (server.ts) is this plus /api/me, /healthz and the built pages; a host site
 * mounts `middleware` (or `handler`) and calls `attach(server)`.
 */
export async function createScanLogin(options: ScanLoginOptions = {}): Promise<ScanLogin> {
  const o: ResolvedOptions = resolveOptions(options);
  const log = options.logger ?? createLogger('info');
  const clock = options.clock ?? systemClock;
  const db = openSqlite(join(o.dataDir, DATABASE_FILE));
  let attached: Server | undefined;
  const listening = () => {
    if (!attached?.listening) throw new Error('createScanLogin: call attach(server) on a listening server first');
    return loopbackUrl(attached);
  };
  const publicUrl = () => o.publicUrl ?? listening().replace('127.0.0.1', 'localhost');

  const simulator =
    o.wechat.mode === 'simulator'
      ? new WeChatSimulator({ clock, miniappUrl: () => `${publicUrl()}/miniapp/`, quotas: o.wechat.simulatorQuotas })
      : undefined;
  const wechat = new WeChatClient({
    appid: o.wechat.appid ?? SIMULATED_APPID,
    secret: o.wechat.secret ?? SIMULATED_SECRET,
    // The simulator answers on the host's own port, found once the host listens.
    baseUrl: o.wechat.apiBase ?? (() => `${listening()}${SIMULATOR_PREFIX}`),
    timeoutMs: o.wechat.timeoutMs,
    tokenStore: new SqliteAccessTokenStore(db),
    clock,
  });
  const codeImages = new CodeImages(
    (scene) =>
      wechat.getUnlimitedCode({
        scene,
        page: o.wechat.page,
        envVersion: o.wechat.envVersion,
        checkPath: o.wechat.checkPath,
        width: o.wechat.codeWidth,
      }),
    clock,
  );
  const limits = {
    tickets: new RateBudget('tickets-per-ip', o.limits.ticketsPerMinute),
    phone: new RateBudget('phone-requests-per-ip', o.limits.phoneRequestsPerMinute),
    codeImagesPerIp: new RateBudget('code-images-per-ip', o.limits.codeImagesPerMinutePerIp),
    wechatCodeFetches: new RateBudget(
      'wechat-code-fetches',
      o.limits.wechatCodeFetchesPerMinute,
      () => new WeChatQuotaProtected(undefined, { limit: 'wechat-code-fetches' }),
    ),
    live: new LiveTickets(o.limits.maxLiveTicketsPerIp, o.limits.maxLiveTickets, o.ticketTtlSeconds * 1000, clock),
  };

  const signer = new JwtSigner(resolveJwtSecret({ secret: o.jwt.secret, dataDir: o.dataDir }, log), o.jwt.ttlSeconds);
  const users = new SqliteUserStore(db);
  const sessions = new Sessions(signer, users, new SqliteRevocationStore(db, clock));
  const tickets = new SqliteTicketStore(db, clock);
  const bus = new InProcessBus();
  const onLogin = o.onLogin;
  const issueToken = onLogin
    ? async ({ ticket, user, openid, unionid }: LoginGranted) => {
        const token = await onLogin({ user, openid, unionid, ticketId: ticket.id, requester: requesterView(ticket) });
        if (typeof token !== 'string' || token === '' || token.length > 4096) {
          throw new TypeError('onLogin must return a non-empty string of at most 4096 characters');
        }
        return token;
      }
    : async ({ user }: LoginGranted) => signer.sign(user.id);
  const service = new LoginService({
    tickets,
    users,
    wechat,
    issueToken,
    bus,
    clock,
    random: cryptoRandom,
    ticketTtlMs: o.ticketTtlSeconds * 1000,
    retainMs: o.ticketRetainSeconds * 1000,
    redeliveryMs: o.tokenRedeliverySeconds * 1000,
  });
  const hub = new PushHub(service, bus, clock, log);
  // A ticket that ended needs neither its place among the live ones nor its code image.
  const unsubscribeEndings = bus.subscribe(({ ticketId, status }) => {
    if (!isFinal(status)) return;
    limits.live.release(ticketId);
    codeImages.forget(ticketId);
  });

  const routers: Router[] = [
    ticketRoutes({
      prefix: o.prefix,
      service,
      codeImages,
      siteName: o.siteName,
      limits,
      wechat: o.wechat.mode,
      // Outside production a visitor without a phone can open the phone page from the notice.
      phoneUrl: simulator && !o.production ? (id) => simulator.codeUrl(id, o.wechat.page) : undefined,
    }),
    logoutRoutes(o.prefix, sessions),
    browserScriptRoutes(o.prefix),
  ];
  if (simulator) routers.unshift(simulatorRouter(simulator, { faults: o.wechat.simulatorFaults }));
  const routes = composeRoutes([cors(o.corsOrigins), clientAddress(o.trustProxy)], log, routers);
  const owns = (path: string) =>
    path === o.prefix || path.startsWith(`${o.prefix}/`) || (simulator !== undefined && path.startsWith(`${SIMULATOR_PREFIX}/`));

  const middleware: Middleware = (ctx: Context, next: Next) => (owns(ctx.path) ? routes(ctx) : next());
  const own = new Koa({ proxy: o.trustProxy > 0 });
  own.silent = true;
  own.use(middleware);
  const callback = own.callback();

  let ws: { close(): Promise<void> } | undefined;
  let draining = false;
  return {
    middleware,
    handler(req, res, next) {
      const path = (req.url ?? '/').split('?')[0];
      if (owns(path)) return void callback(req, res);
      if (next) return next();
      const missing = new RouteNotFound();
      res.writeHead(missing.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: missing.code, message: missing.message } }));
    },
    attach(server) {
      if (attached) throw new Error('createScanLogin: attach() takes one server');
      attached = server;
      ws = attachWebSocketServer(server, {
        path: `${o.prefix}/ws`,
        service,
        hub,
        log,
        trustedHops: o.trustProxy,
        subscribeTimeoutMs: o.limits.wsSubscribeTimeoutMs,
        maxConnectionsPerIp: o.limits.wsMaxConnectionsPerIp,
        pingIntervalMs: o.limits.wsPingIntervalMs,
        draining: () => draining,
        origins: new UpgradeOrigins(o.corsOrigins, o.publicUrl && new URL(o.publicUrl).origin, o.trustProxy),
      });
    },
    verify: (token) => sessions.verify(token),
    logout: (token) => sessions.logout(token),
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      unsubscribeEndings();
      hub.close();
      await ws?.close();
      await tickets.close();
      await bus.close();
      db.close();
    },
    prefix: o.prefix,
    wechat: o.wechat.mode,
    simulator,
    service,
  };
}

/**
 * The library's own chain, run only for its paths and never past them: CORS, the
 * client's address, its error mapping (JSON errors and a JSON 404 under the prefix; the host's
 * errors and 404s elsewhere stay the host's), the routers and their 405s.
 */
function composeRoutes(first: Middleware[], log: Logger, routers: Router[]): (ctx: Context) => Promise<void> {
  const context = requestContext(log);
  // A host without a request logger of its own gets the library's (request id, one line each).
  const logged: Middleware = (ctx, next) => (ctx.state.log ? next() : context(ctx, next));
  const chain: Middleware[] = [logged, ...first, errorHandler];
  for (const router of routers) chain.push(router.routes() as Middleware, router.allowedMethods() as Middleware);
  return (ctx) => {
    const run = (index: number): Promise<void> =>
      index === chain.length ? Promise.resolve() : Promise.resolve(chain[index](ctx, () => run(index + 1)));
    return run(0);
  };
}
