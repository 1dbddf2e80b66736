import Router from '@koa/router';
import type { Context } from 'koa';
import type { Sessions } from '../auth/sessions';
import { TokenInvalid } from '../errors';
import { bearer } from './bearer';

/**
 * `POST ${prefix}/logout` with `Authorization: Bearer <jwt>`: revokes that session at
 * once, so the token is refused from the next call on. For hosts that keep the project's
 * JWT; a host that issues its own tokens (onLogin) ends its own sessions.
 */
export function logoutRoutes(prefix: string, sessions: Sessions): Router {
  const router = new Router({ prefix });
  router.post('/logout', async (ctx: Context) => {
    if (!(await sessions.logout(bearer(ctx)))) throw new TokenInvalid();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'logged-out' };
  });
  return router;
}
