import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { createApp } from './app';
import type { Clock } from './core/clock';
import type { LoginService } from './core/login-service';
import { answerClientErrors } from './http/client-errors';
import { loopbackUrl } from './http/loopback-url';
import { Draining } from './http/draining';
import { createLogger } from './log';
import { startMetricsListener, type MetricsListener } from './metrics/metrics-listener';
import { createScanLogin, DATABASE_FILE } from './scan-login';
import type { ScanLoginOptions } from './scan-login-options';
import type { WeChatSimulator } from './wechat/simulator/wechat-simulator';
import { refuseUpgrade } from './ws/ws-server';

export { DATABASE_FILE };
export const ROOT = join(__dirname, '..');
export const WEB_ROOT = join(ROOT, 'web', 'dist');
export const MINIAPP_H5_ROOT = join(ROOT, 'miniapp', 'dist', 'h5');
/** The standalone server's prefix: the contract's paths. */
export const STANDALONE_PREFIX = '/api/login';

export interface RunningServer {
  /** Where this server answers, e.g. http://127.0.0.1:41234 (loopback when bound to all). */
  url: string;
  port: number;
  publicUrl: string;
  log: Logger;
  service: LoginService;
  /** The embedded WeChat simulator, when no real appid/secret is configured. */
  simulator?: WeChatSimulator;
  /** Where the listener of METRICS_PORT answers /metrics, when it is set. */
  metricsUrl?: string;
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

/** The environment's configuration as the library's options: one set of defaults, one build. */
export function scanLoginOptions(config: Config, publicUrl: string): ScanLoginOptions {
  const { wechat } = config;
  return {
    prefix: STANDALONE_PREFIX,
    publicUrl,
    dataDir: config.dataDir,
    production: config.nodeEnv === 'production',
    wechat:
      wechat.mode === 'real'
        ? {
            appid: wechat.appid!,
            secret: wechat.secret!,
            apiBase: wechat.apiBase,
            envVersion: wechat.envVersion,
            checkPath: wechat.checkPath,
            page: wechat.page,
            codeWidth: wechat.codeWidth,
            timeoutMs: wechat.timeoutMs,
          }
        : undefined,
    simulator:
      wechat.mode === 'simulator'
        ? { quotas: wechat.simulatorQuotas, faults: wechat.simulatorFaults, url: wechat.apiBase }
        : undefined,
    jwt: config.jwt,
    ticketTtlSeconds: config.ticketTtlSeconds,
    ticketRetainSeconds: config.ticketRetainSeconds,
    tokenRedeliverySeconds: config.tokenRedeliverySeconds,
    trustProxy: config.trustProxy,
    limits: config.limits,
    siteName: config.siteName,
    corsOrigins: config.corsOrigins,
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisKeyPrefix,
    databaseUrl: config.databaseUrl,
    ...(config.oidcClients && { oidc: { clients: config.oidcClients } }),
  };
}

/**
 * The standalone server: the library under /api/login, plus /api/me, /healthz and the
 * built pages. The port is bound first so that `PORT=0` works: the public URL (and the
 * simulator's QR text) need the real port.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
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
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

  const scanLogin = await createScanLogin({ ...scanLoginOptions(config, publicUrl), logger: log, clock: options.clock });
  const app = createApp({
    config,
    log,
    scanLogin,
    publicUrl,
    draining: () => draining.active,
    webRoot: WEB_ROOT,
    miniappRoot: MINIAPP_H5_ROOT,
  });
  server.on('request', app.callback());
  scanLogin.attach(server);
  // Nobody else listens for upgrades here: say so rather than leave the socket hanging.
  server.on('upgrade', (request, socket) => {
    if ((request.url ?? '').split('?')[0] !== `${STANDALONE_PREFIX}/ws`) refuseUpgrade(socket, '404 Not Found');
  });
  const { port: metricsPort, host: metricsHost, token } = config.metrics;
  let metricsListener: MetricsListener | undefined;
  try {
    if (metricsPort !== undefined) {
      metricsListener = await startMetricsListener({ port: metricsPort, host: metricsHost, token, metrics: scanLogin.metrics });
      log.info({ metrics: `${metricsListener.url}/metrics` }, 'metrics listening');
    }
  } catch (error) {
    // A taken METRICS_PORT stops start-up; what was opened is closed first.
    await scanLogin.close();
    server.close();
    throw error;
  }

  return {
    url: loopbackUrl(server),
    port,
    publicUrl,
    log,
    service: scanLogin.service,
    simulator: scanLogin.simulator,
    metricsUrl: metricsListener?.url,
    async close(timeoutMs = 0) {
      scanLogin.drain();
      await draining.drain(timeoutMs);
      await scanLogin.close();
      server.closeAllConnections();
      await metricsListener?.close();
    },
  };
}
