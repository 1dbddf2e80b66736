import type { Context, Next } from 'koa';
import { AppError, InternalError, MethodNotAllowed, RouteNotFound } from '../errors';

/**
 * The one place errors become responses, including the JSON 404 for unknown paths: `{"error": {"code", "message", ...details}}`
 * with the error's status. Anything that is not an AppError is our bug: logged in full,
 * answered as INTERNAL_ERROR without a stack trace.
 */
export async function errorHandler(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    // Nothing answered: after the routers' 405 checks, so a wrong method is not a 404.
    if (ctx.status === 404 && ctx.body == null) throw new RouteNotFound();
    // A router refused the method and set `Allow` (kept); unknown methods (501) alike.
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) throw new MethodNotAllowed();
  } catch (caught) {
    const error = caught instanceof AppError ? caught : new InternalError();
    if (error.status >= 500) {
      ctx.state.log?.error({ err: caught, errorCode: error.code }, 'request failed');
    } else {
      ctx.state.log?.info({ errorCode: error.code }, 'request refused');
    }
    ctx.status = error.status;
    ctx.set('Cache-Control', 'no-store');
    if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
    ctx.body = { error: { code: error.code, message: error.message, ...error.details } };
  }
}
