import Koa from 'koa';
import { createServer } from 'node:http';
import { errorHandler } from '../http/error-handler';
import { loopbackUrl } from '../http/loopback-url';
import { metricsRoutes } from './metrics-routes';
import type { MetricsExposition } from './prometheus-metrics';

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` on a port of its own (METRICS_PORT), for a scraper on a private network: it
 * serves nothing else (the JSON 404 for any other path), and asks for the token too when
 * one is configured.
 */
export async function startMetricsListener(options: {
  port: number;
  host: string;
  metrics: MetricsExposition;
  token?: string;
}): Promise<MetricsListener> {
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler);
  const routes = metricsRoutes(options.metrics, options.token);
  app.use(routes.routes());
  app.use(routes.allowedMethods());
  const server = createServer(app.callback());
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: loopbackUrl(server),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A scraper's keep-alive connection would otherwise hold the close open.
      server.closeAllConnections();
      await closed;
    },
  };
}
