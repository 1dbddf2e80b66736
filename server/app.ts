import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { TokenSigner } from './auth/token-signer';
import type { LoginService } from './core/login-service';
import { errorHandler } from './http/error-handler';
import { meRoutes } from './http/me-routes';
import { clientAddress } from './http/client-address';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { staticFiles } from './http/static-files';
import { TicketLimits, ticketRoutes } from './http/ticket-routes';
import type { UserStore } from './stores/user-store';
import type { CodeImages } from './wechat/code-images';
import { simulatorRouter } from './wechat/simulator/simulator-router';
import type { WeChatSimulator } from './wechat/simulator/wechat-simulator';

export interface AppDeps {
  config: Config;
  log: Logger;
  service: LoginService;
  codeImages: CodeImages;
  signer: TokenSigner;
  users: UserStore;
  limits: TicketLimits;
  publicUrl: string;
  simulator?: WeChatSimulator;
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
 * The Koa app. Middleware runs in this order: the client's address, request id and log,
 * security headers, error mapping, the simulator (its own raw-body parsing, WeChat-style
 * errors), the contract's API, the built front ends.
 */
export function createApp(deps: AppDeps): Koa {
  const { config, simulator } = deps;
  // `proxy` is for the protocol and host a proxy forwards; the client IP is clientAddress's.
  const app = new Koa({ proxy: config.trustProxy > 0 });
  // Errors are logged once, with the request id, by errorHandler.
  app.silent = true;

  app.use(clientAddress(config.trustProxy));
  app.use(requestContext(deps.log));
  app.use(securityHeaders(deps.publicUrl));
  app.use(errorHandler);
  if (simulator) mount(app, simulatorRouter(simulator, { faults: config.wechat.simulatorFaults }));
  mount(
    app,
    ticketRoutes({
      service: deps.service,
      codeImages: deps.codeImages,
      siteName: config.siteName,
      limits: deps.limits,
      wechat: config.wechat.mode,
      // Outside production a visitor without a phone can open the phone page from the notice.
      phoneUrl:
        simulator && config.nodeEnv !== 'production' ? (id) => simulator.codeUrl(id, config.wechat.page) : undefined,
    }),
  );
  mount(app, meRoutes({ signer: deps.signer, users: deps.users }));

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (deps.draining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining', wechat: config.wechat.mode };
      return;
    }
    ctx.body = { status: 'ok', wechat: config.wechat.mode };
  });
  mount(app, health);

  if (simulator) app.use(staticFiles('/miniapp/', deps.miniappRoot));
  app.use(staticFiles('/', deps.webRoot));
  return app;
}
