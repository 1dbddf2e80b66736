import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';

const INCOMING_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives each request an id (the caller's X-Request-Id when it is sane, else a new one),
 * echoes it, and a child logger that stamps it on every line. One summary line per
 * request; the path is logged without its query, which is where WeChat-style secrets go.
 */
export function requestContext(log: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const incoming = ctx.get('x-request-id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.state.log = log.child({ requestId });
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      ctx.state.log.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    }
  };
}
