import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { errorHandler } from './error-handler';
import { requestContext } from './request-context';

/**
 * The library's own chain, run only for its paths and never past them: the request
 * context, `first` (CORS, the client's address), its error mapping (JSON errors and a
 * JSON 404 under its paths; the host's errors and 404s elsewhere stay the host's), the
 * routers and their 405s.
 */
export function routeChain(first: Middleware[], log: Logger, routers: Router[]): (ctx: Context) => Promise<void> {
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
