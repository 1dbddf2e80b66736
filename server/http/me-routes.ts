import Router from '@koa/router';
import type { Context } from 'koa';
import type { PublicUser } from '../stores/user-store';
import { TokenInvalid } from '../errors';
import { bearer } from './bearer';

/** `GET /api/me`: who the session token belongs to (the standalone server's, not the library's). */
export function meRoutes(verify: (token: string) => Promise<PublicUser | undefined>): Router {
  const router = new Router();
  router.get('/api/me', async (ctx: Context) => {
    const token = bearer(ctx);
    const user = token === undefined ? undefined : await verify(token);
    if (!user) throw new TokenInvalid();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user };
  });
  return router;
}
