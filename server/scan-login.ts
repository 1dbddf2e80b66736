import Router from '@koa/router';
import Koa, { Context, Middleware, Next } from 'koa';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { resolveJwtSecret } from './auth/jwt-secret';
import { Sessions } from './auth/sessions';
import { tokenIssuer } from './auth/token-issuer';
import { JwtSigner } from './auth/token-signer';
import { systemClock, type Clock } from './core/clock';
import { LoginService } from './core/login-service';
import { cryptoRandom } from './core/random';
import { RouteNotFound } from './errors';
import { browserScriptRoutes } from './http/browser-script-routes';
import { clientAddress } from './http/client-address';
import { cors } from './http/cors';
import { logoutRoutes } from './http/logout-routes';
import { loopbackUrl } from './http/loopback-url';
import { routeChain } from './http/route-chain';
import { ticketCreation, ticketRoutes, type TicketRouteDeps } from './http/ticket-routes';
import { ticketLimits } from './limits/ticket-limits';
import { createLogger } from './log';
import { PrometheusMetrics, type MetricsExposition } from './metrics/prometheus-metrics';
import type { OidcMount } from './oidc/oidc-mount';
import { isFinal, PushHub } from './push/push-hub';
import { ResolvedOptions, resolveOptions, ScanLoginOptions } from './scan-login-options';
import { DATABASE_FILE, openStores, type StoreHealth, type StoreSet } from './stores/store-set';
import type { PublicUser } from './stores/user-store';
import { CodeImages } from './wechat/code-images';
import { SIMULATED_APPID, SIMULATED_SECRET } from './wechat/simulator/simulated-app';
import { simLoginRelay } from './wechat/simulator/sim-login-relay';
import { simulatorRouter } from './wechat/simulator/simulator-router';
import { confirmPageUrl, WeChatSimulator } from './wechat/simulator/wechat-simulator';
import { WeChatClient } from './wechat/wechat-client';
import { attachWebSocketServer } from './ws/ws-server';
import { UpgradeOrigins } from './ws/upgrade-origin';

export { DATABASE_FILE };
const SIMULATOR_PREFIX = '/__wechat__';

export interface ScanLogin {
  /** Koa middleware: answers under the prefix (and /__wechat__ with a simulator), calls next() for the rest. */
  middleware: Middleware;
  /** The same for node:http and Express: `handler(req, res, next?)`; without next, other paths get a 404. */
  handler: (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;
  /** Handles ws upgrades on `${prefix}/ws` of this server; other upgrades are left alone. */
  attach(server: Server): void;
  /** The user a project JWT belongs to; undefined when invalid, expired or logged out. */
  verify(token: string): Promise<PublicUser | undefined>;
  /** Revokes a project JWT at once (what `POST ${prefix}/logout` does). */
  logout(token: string): Promise<boolean>;
  /** Whether each shared store (Redis, PostgreSQL) answers now; empty on the embedded ones. For a host's health check. */
  health(): Promise<StoreHealth>;
  /** A shutdown began: new ws upgrades are refused (503) while the host drains its HTTP. */
  drain(): void;
  /** Closes the library's sockets (1012, so pages reconnect elsewhere) and stores; the host process can exit. */
  close(): Promise<void>;
  readonly prefix: string;
  readonly wechat: 'simulator' | 'real';
  /** The embedded WeChat simulator, when neither credentials nor a shared simulator's URL were given. */
  readonly simulator?: WeChatSimulator;
  readonly service: LoginService;
  /** This instance's Prometheus metrics (own registry), for the host to serve at a /metrics of its choosing. */
  readonly metrics: MetricsExposition;
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
  const metrics = new PrometheusMetrics();
  const stores = await openStores({ dataDir: o.dataDir, redis: o.redis, databaseUrl: o.databaseUrl, clock, log, metrics });
  try {
    return await compose(o, stores, log, clock, metrics);
  } catch (error) {
    // A part that cannot start (a bad key file or row) must not leave connections open.
    await stores.close().catch(() => undefined);
    throw error;
  }
}

/** Everything built on the open stores. */
async function compose(o: ResolvedOptions, stores: StoreSet, log: Logger, clock: Clock, metrics: PrometheusMetrics): Promise<ScanLogin> {
  const { users, tickets, bus } = stores;
  let attached: Server | undefined;
  const listening = () => {
    if (!attached?.listening) throw new Error('createScanLogin: call attach(server) on a listening server first');
    return loopbackUrl(attached);
  };
  const publicUrl = () => o.publicUrl ?? listening().replace('127.0.0.1', 'localhost');

  const simulated = o.wechat.mode === 'simulator';
  // With a simulator URL every instance shares that one (npm run simulator); else it is embedded.
  const sharedSimulator = simulated ? o.wechat.apiBase : undefined;
  const miniappUrl = () => `${publicUrl()}/miniapp/`;
  const simulator =
    simulated && !sharedSimulator
      ? new WeChatSimulator({ clock, miniappUrl, quotas: o.wechat.simulatorQuotas })
      : undefined;
  const wechat = new WeChatClient({
    appid: o.wechat.appid ?? SIMULATED_APPID,
    secret: o.wechat.secret ?? SIMULATED_SECRET,
    // The simulator answers on the host's own port, found once the host listens.
    baseUrl: o.wechat.apiBase ?? (() => `${listening()}${SIMULATOR_PREFIX}`),
    timeoutMs: o.wechat.timeoutMs,
    tokenStore: stores.accessTokens,
    refreshLock: stores.refreshLock,
    clock,
    metrics,
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
    stores.codeImages,
  );
  const limits = ticketLimits(o.limits, o.ticketTtlSeconds * 1000, stores.liveTickets, stores.limiters, metrics);

  const signer = new JwtSigner(resolveJwtSecret({ secret: o.jwt.secret, dataDir: o.dataDir }, log), o.jwt.ttlSeconds);
  const sessions = new Sessions(signer, users, stores.revocations);
  const service = new LoginService({
    tickets,
    users,
    wechat,
    issueToken: tokenIssuer(signer, o.onLogin),
    bus,
    clock,
    random: cryptoRandom,
    ticketTtlMs: o.ticketTtlSeconds * 1000,
    retainMs: o.ticketRetainSeconds * 1000,
    redeliveryMs: o.tokenRedeliverySeconds * 1000,
    metrics,
  });
  const hub = new PushHub(service, bus, clock, log);
  metrics.countWaitingSockets(() => hub.size);
  // A ticket that ended needs neither its place among the live ones nor its code image.
  // What is shared is freed once, by the instance whose write ended it: its event alone
  // carries the ticket (the others, and its own echo over Redis, carry the status only).
  const unsubscribeEndings = bus.subscribe(({ ticketId, status, ticket }) => {
    if (!isFinal(status)) return;
    codeImages.forget(ticketId, { shared: ticket !== undefined });
    // A store that cannot free the place now lets it expire with the ticket.
    if (ticket) void limits.live.release(ticketId).catch(() => undefined);
  });

  const ticketRouteDeps: TicketRouteDeps = {
    prefix: o.prefix,
    service,
    codeImages,
    siteName: o.siteName,
    limits,
    wechat: o.wechat.mode,
    // Outside production a visitor without a phone can open the phone page from the notice.
    phoneUrl: simulated && !o.production ? (id) => confirmPageUrl(miniappUrl(), o.wechat.page, id) : undefined,
  };
  // Loaded only when asked for: oidc-provider is large, and warns on Node 20 at import.
  const oidc: OidcMount | undefined = o.oidc
    ? await (await import('./oidc/oidc-mount')).mountOidc({
        publicUrl: o.publicUrl!,
        clients: o.oidc.clients,
        dataDir: o.dataDir,
        stores,
        clock,
        users,
        service,
        createTicket: ticketCreation(ticketRouteDeps),
        ticketBudget: limits.tickets,
        loginPrefix: o.prefix,
        trustProxy: o.trustProxy > 0,
        log,
      })
    : undefined;
  const routers: Router[] = [
    ticketRoutes(ticketRouteDeps),
    logoutRoutes(o.prefix, sessions),
    browserScriptRoutes(o.prefix),
    ...(oidc?.routers ?? []),
  ];
  if (simulator) routers.unshift(simulatorRouter(simulator, { faults: o.wechat.simulatorFaults }));
  if (sharedSimulator) routers.unshift(simLoginRelay(sharedSimulator, o.wechat.timeoutMs));
  const routes = routeChain([cors(o.corsOrigins), clientAddress(o.trustProxy)], log, routers);
  const owns = (path: string) =>
    path === o.prefix ||
    path.startsWith(`${o.prefix}/`) ||
    (simulated && path.startsWith(`${SIMULATOR_PREFIX}/`)) ||
    (oidc?.owns(path) ?? false);

  const middleware: Middleware = (ctx: Context, next: Next) => {
    if (!owns(ctx.path)) return next();
    if (oidc?.ownsProviderPath(ctx.path)) return oidc.handle(ctx);
    if (oidc?.isAsset(ctx.path)) return oidc.assets(ctx, () => routes(ctx));
    return routes(ctx);
  };
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
        metrics,
      });
    },
    verify: (token) => sessions.verify(token),
    logout: (token) => sessions.logout(token),
    health: () => stores.health(),
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      unsubscribeEndings();
      hub.close();
      await ws?.close();
      await stores.close();
    },
    prefix: o.prefix,
    wechat: o.wechat.mode,
    simulator,
    service,
    metrics,
  };
}
