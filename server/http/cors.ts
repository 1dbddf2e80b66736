import type { Context, Middleware, Next } from 'koa';

const ALLOWED_METHODS = 'GET, HEAD, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-Id';

/**
 * Cross-origin use of the login API by pages on the listed origins only (exact
 * `scheme://host[:port]` strings, no wildcards: a wildcard would let any site run a login
 * flow against this one). The API authenticates with `Authorization` headers, never
 * cookies, so credentials are not allowed; a refused origin simply gets no CORS headers and
 * the browser keeps the answer from it. Preflights are answered here.
 */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return async (ctx: Context, next: Next): Promise<void> => {
    const origin = ctx.get('origin');
    if (!origin || !allowed.has(origin)) return next();
    ctx.vary('Origin');
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
