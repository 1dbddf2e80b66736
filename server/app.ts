import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { StoreUnavailable } from './errors';
import { errorHandler } from './http/error-handler';
import { meRoutes } from './http/me-routes';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { staticFiles } from './http/static-files';
import { metricsRoutes } from './metrics/metrics-routes';
import type { ScanLogin } from './scan-login';

export interface AppDeps {
  config: Config;
  log: Logger;
  scanLogin: ScanLogin;
  publicUrl: string;
  /** True once a shutdown began: /healthz then takes the instance out of a proxy's rotation. */
  draining: () => boolean;
  /** Built front ends: web page at '/', mini-program H5 build at '/miniapp/'. */
  webRoot: string;
  miniappRoot: string;
}

/** The router's routes, then its 405 (with `Allow`), which errorHandler words as the contract's error. */
function mount(app: Koa, router: Router): void {
  app.use(router.routes());
  app.use(router.allowedMethods());
}

/**
 * The standalone server's Koa app. Middleware runs in this order: request id and log,
 * security headers, error mapping, the library (the contract's API, the simulator), the
 * standalone's own /api/me and /healthz, the built front ends.
 */
export function createApp(deps: AppDeps): Koa {
  const { config, scanLogin } = deps;
  // `proxy` is for the protocol and host a proxy forwards; the client IP is the library's.
  const app = new Koa({ proxy: config.trustProxy > 0 });
  // Errors are logged once, with the request id, by errorHandler.
  app.silent = true;

  app.use(requestContext(deps.log));
  app.use(securityHeaders(deps.publicUrl));
  app.use(errorHandler);
  app.use(scanLogin.middleware);
  mount(app, meRoutes((token) => scanLogin.verify(token)));
  // Only with a token: without one, /metrics is an unknown path here (METRICS_PORT may serve it).
  if (config.metrics.token) mount(app, metricsRoutes(scanLogin.metrics, config.metrics.token));

  const health = new Router();
  health.get('/healthz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (deps.draining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining', wechat: scanLogin.wechat };
      return;
    }
    const stores = await scanLogin.health();
    const down = Object.entries(stores).flatMap(([store, state]) => (state === 'down' ? [store] : []));
    // A proxy or orchestrator takes the instance out while a store it needs is away; it
    // comes back by itself, so the answer says which one to look at.
    if (down.length > 0) {
      const error = new StoreUnavailable(`${down.join(' and ')} cannot be reached.`);
      ctx.status = error.status;
      ctx.body = { status: 'unavailable', wechat: scanLogin.wechat, stores, error: { code: error.code, message: error.message } };
      return;
    }
    ctx.body = { status: 'ok', wechat: scanLogin.wechat, ...(Object.keys(stores).length > 0 && { stores }) };
  });
  mount(app, health);

  // The simulated WeChat's phone, whether the simulator is embedded or shared.
  if (scanLogin.wechat === 'simulator') app.use(staticFiles('/miniapp/', deps.miniappRoot));
  app.use(staticFiles('/', deps.webRoot));
  return app;
}
