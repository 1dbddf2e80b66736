import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { createApp } from './app';
import { WeChatQuotaProtected } from './errors';
import { resolveJwtSecret } from './auth/jwt-secret';
import { JwtSigner } from './auth/token-signer';
import { Clock, systemClock } from './core/clock';
import { LoginService } from './core/login-service';
import { cryptoRandom } from './core/random';
import { answerClientErrors } from './http/client-errors';
import { Draining } from './http/draining';
import { createLogger } from './log';
import { InProcessBus } from './push/event-bus';
import { PushHub } from './push/push-hub';
import { LiveTickets } from './limits/live-tickets';
import { RateBudget } from './limits/rate-budget';
import { SqliteAccessTokenStore } from './stores/sqlite-access-token-store';
import { openSqlite } from './stores/sqlite-database';
import { SqliteTicketStore } from './stores/sqlite-ticket-store';
import { SqliteUserStore } from './stores/sqlite-user-store';
import { CodeImages } from './wechat/code-images';
import { isFinal } from './push/push-hub';
import { SIMULATED_APPID, SIMULATED_SECRET } from './wechat/simulator/simulated-app';
import { WeChatSimulator } from './wechat/simulator/wechat-simulator';
import { WeChatClient } from './wechat/wechat-client';
import { attachWebSocketServer } from './ws/ws-server';

export const ROOT = join(__dirname, '..');
export const WEB_ROOT = join(ROOT, 'web', 'dist');
export const MINIAPP_H5_ROOT = join(ROOT, 'miniapp', 'dist', 'h5');
export const DATABASE_FILE = 'mp-scan-login.db';

export interface RunningServer {
  /** Where this server answers, e.g. http://127.0.0.1:41234 (loopback when bound to all). */
  url: string;
  port: number;
  publicUrl: string;
  log: Logger;
  service: LoginService;
  /** The embedded WeChat simulator, when no real appid/secret is configured. */
  simulator?: WeChatSimulator;
  /**
   * The graceful shutdown of DESIGN.md ("No login lost"): /healthz says draining, new
   * connections and ws upgrades are refused, requests in flight get up to `timeoutMs`
   * (default 0: tests) to finish, every socket is closed with 1012 so pages reconnect,
   * and the stores close last.
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
}

function loopbackUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Builds everything from the configuration and starts listening. The port is bound first
 * so that `PORT=0` works: the simulator's base URL and the public URL need the real port.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = openSqlite(join(config.dataDir, DATABASE_FILE));
  const signer = new JwtSigner(resolveJwtSecret(config, log), config.jwt.ttlSeconds);

  const server = createServer();
  // Sockets that never send a full request are not kept around forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const draining = new Draining(server);
  answerClientErrors(server, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = loopbackUrl(config.host, port);
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

  const wechatConfig = config.wechat;
  const simulator =
    wechatConfig.mode === 'simulator'
      ? new WeChatSimulator({ clock, miniappUrl: `${publicUrl}/miniapp/`, quotas: wechatConfig.simulatorQuotas })
      : undefined;
  const wechat = new WeChatClient({
    appid: wechatConfig.appid ?? SIMULATED_APPID,
    secret: wechatConfig.secret ?? SIMULATED_SECRET,
    baseUrl: wechatConfig.apiBase ?? `${url}/__wechat__`,
    timeoutMs: wechatConfig.timeoutMs,
    tokenStore: new SqliteAccessTokenStore(db),
    clock,
  });
  const codeImages = new CodeImages(
    (scene) =>
      wechat.getUnlimitedCode({
        scene,
        page: wechatConfig.page,
        envVersion: wechatConfig.envVersion,
        checkPath: wechatConfig.checkPath,
        width: wechatConfig.codeWidth,
      }),
    clock,
  );
  const { limits: limitsConfig } = config;
  const limits = {
    tickets: new RateBudget('tickets-per-ip', limitsConfig.ticketsPerMinute),
    phone: new RateBudget('phone-requests-per-ip', limitsConfig.phoneRequestsPerMinute),
    codeImagesPerIp: new RateBudget('code-images-per-ip', limitsConfig.codeImagesPerMinutePerIp),
    wechatCodeFetches: new RateBudget(
      'wechat-code-fetches',
      limitsConfig.wechatCodeFetchesPerMinute,
      () => new WeChatQuotaProtected(undefined, { limit: 'wechat-code-fetches' }),
    ),
    live: new LiveTickets(
      limitsConfig.maxLiveTicketsPerIp,
      limitsConfig.maxLiveTickets,
      config.ticketTtlSeconds * 1000,
      clock,
    ),
  };

  const tickets = new SqliteTicketStore(db, clock);
  const users = new SqliteUserStore(db);
  const bus = new InProcessBus();
  const service = new LoginService({
    tickets,
    users,
    wechat,
    signer,
    bus,
    clock,
    random: cryptoRandom,
    ticketTtlMs: config.ticketTtlSeconds * 1000,
    retainMs: config.ticketRetainSeconds * 1000,
    redeliveryMs: config.tokenRedeliverySeconds * 1000,
  });
  const hub = new PushHub(service, bus, clock, log);
  // A ticket that ended needs neither its place among the live ones nor its code image.
  const unsubscribeEndings = bus.subscribe(({ ticketId, status }) => {
    if (!isFinal(status)) return;
    limits.live.release(ticketId);
    codeImages.forget(ticketId);
  });
  const app = createApp({
    config,
    log,
    service,
    codeImages,
    signer,
    users,
    limits,
    publicUrl,
    simulator,
    draining: () => draining.active,
    webRoot: WEB_ROOT,
    miniappRoot: MINIAPP_H5_ROOT,
  });
  server.on('request', app.callback());
  const ws = attachWebSocketServer(server, {
    service,
    hub,
    log,
    trustedHops: config.trustProxy,
    subscribeTimeoutMs: limitsConfig.wsSubscribeTimeoutMs,
    maxConnectionsPerIp: limitsConfig.wsMaxConnectionsPerIp,
    pingIntervalMs: limitsConfig.wsPingIntervalMs,
    draining: () => draining.active,
  });

  return {
    url,
    port,
    publicUrl,
    log,
    service,
    simulator,
    async close(timeoutMs = 0) {
      await draining.drain(timeoutMs);
      unsubscribeEndings();
      hub.close();
      await ws.close();
      server.closeAllConnections();
      await tickets.close();
      await bus.close();
      db.close();
    },
  };
}
