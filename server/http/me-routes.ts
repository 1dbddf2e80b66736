import Router from '@koa/router';
import type { Context } from 'koa';
import type { TokenSigner } from '../auth/token-signer';
import { TokenInvalid } from '../errors';
import { publicUser, UserStore } from '../stores/user-store';
import { bearer } from './bearer';

/** `GET /api/me`: who the session token belongs to. */
export function meRoutes({ signer, users }: { signer: TokenSigner; users: UserStore }): Router {
  const router = new Router();
  router.get('/api/me', async (ctx: Context) => {
    const token = bearer(ctx);
    const userId = token === undefined ? undefined : signer.verify(token);
    const user = userId === undefined ? undefined : await users.findById(userId);
    if (!user) throw new TokenInvalid();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: publicUser(user) };
  });
  return router;
}
