import Router from '@koa/router';
import Koa from 'koa';
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import type { SimulatorConfig } from '../../../config/simulator-config';
import { systemClock, type Clock } from '../../core/clock';
import { answerClientErrors } from '../../http/client-errors';
import { errorHandler } from '../../http/error-handler';
import { loopbackUrl } from '../../http/loopback-url';
import { requestContext } from '../../http/request-context';
import { createLogger } from '../../log';
import { simulatorRouter } from './simulator-router';
import { WeChatSimulator } from './wechat-simulator';

export interface RunningSimulator {
  /** Where it answers on this machine, e.g. http://127.0.0.1:3100 */
  url: string;
  /** What instances take as WECHAT_API_BASE: `${url}/__wechat__`. */
  apiBase: string;
  simulator: WeChatSimulator;
  close(): Promise<void>;
}

/**
 * `npm run simulator`: WeChat's HTTP side for the simulated mini-program as one process, so
 * that every instance of a scaled-out demo talks to one "WeChat" (one access token, one set
 * of login codes), as real instances all talk to api.weixin.qq.com.
 */
export async function startSimulatorServer(
  config: SimulatorConfig,
  options: { log?: Logger; clock?: Clock } = {},
): Promise<RunningSimulator> {
  const log = options.log ?? createLogger(config.logLevel);
  const simulator = new WeChatSimulator({
    clock: options.clock ?? systemClock,
    miniappUrl: config.phoneUrl,
    quotas: config.quotas,
  });
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(log));
  app.use(errorHandler);
  const routes = [simulatorRouter(simulator, { faults: config.faults }), healthRouter()];
  for (const router of routes) app.use(router.routes()).use(router.allowedMethods());

  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  answerClientErrors(server, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const url = loopbackUrl(server);
  return {
    url,
    apiBase: `${url}/__wechat__`,
    simulator,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function healthRouter(): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', wechat: 'simulator' };
  });
  return router;
}
