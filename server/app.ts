import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { TokenSigner } from './auth/token-signer';
import type { Clock } from './core/clock';
import type { LoginService } from './core/login-service';
import { MethodNotAllowed } from './errors';
import { errorHandler } from './http/error-handler';
import { meRoutes } from './http/me-routes';
import { rateLimit } from './http/rate-limit';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { staticFiles } from './http/static-files';
import { ticketRoutes } from './http/ticket-routes';
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
  clock: Clock;
  simulator?: WeChatSimulator;
  /** Built front ends: web page at '/', mini-program H5 build at '/miniapp/'. */
  webRoot: string;
  miniappRoot: string;
}

function mount(app: Koa, router: Router): void {
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new MethodNotAllowed(),
      notImplemented: () => new MethodNotAllowed(),
    }),
  );
}

/**
 * The Koa app. Middleware runs in this order: request id and log, security headers, error mapping, the
 * simulator (its own raw-body parsing, WeChat-style errors), the contract's API, the
 * built front ends.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  // Errors are logged once, with the request id, by errorHandler.
  app.silent = true;

  app.use(requestContext(deps.log));
  app.use(securityHeaders);
  app.use(errorHandler);
  if (deps.simulator) mount(app, simulatorRouter(deps.simulator));
  mount(
    app,
    ticketRoutes({
      service: deps.service,
      codeImages: deps.codeImages,
      siteName: deps.config.siteName,
      limit: rateLimit(deps.config.rateLimitPerMinute, deps.clock),
    }),
  );
  mount(app, meRoutes({ signer: deps.signer, users: deps.users }));

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', wechat: deps.config.wechat.mode };
  });
  mount(app, health);

  if (deps.simulator) app.use(staticFiles('/miniapp/', deps.miniappRoot));
  app.use(staticFiles('/', deps.webRoot));
  return app;
}
