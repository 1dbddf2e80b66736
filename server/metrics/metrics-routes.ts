import Router from '@koa/router';
import type { Context } from 'koa';
import { secretMatches, sha256 } from '../core/random';
import { MetricsTokenInvalid } from '../errors';
import { bearer } from '../http/bearer';
import type { MetricsExposition } from './prometheus-metrics';

/**
 * `GET /metrics` in Prometheus' text format. With a token, only a scraper that sends
 * `Authorization: Bearer <token>` is answered (compared in constant time, through the
 * hashes); everyone else gets 401, never the counters.
 */
export function metricsRoutes(metrics: MetricsExposition, token?: string): Router {
  const router = new Router();
  const tokenHash = token === undefined ? undefined : sha256(token);
  router.get('/metrics', async (ctx: Context) => {
    ctx.set('Cache-Control', 'no-store');
    if (tokenHash !== undefined && !secretMatches(bearer(ctx), tokenHash)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new MetricsTokenInvalid();
    }
    ctx.type = metrics.contentType;
    ctx.body = await metrics.text();
  });
  return router;
}
