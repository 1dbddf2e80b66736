import Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import { z } from 'zod';
import type { LoginService } from '../core/login-service';
import { InteractionNotFound, StoreUnavailable, TokenInvalid } from '../errors';
import { readJson } from '../http/json-body';
import { spend } from '../http/limit';
import type { TicketCreation } from '../http/ticket-routes';
import { validate } from '../http/validate';
import type { RateBudget } from '../limits/rate-budget';
import { grantMissing, type MissingGrant } from './grants';
import { OIDC_MOUNT } from './oidc-provider';
import type { OidcPage } from './oidc-page';

interface Deps {
  provider: Provider;
  service: LoginService;
  createTicket: TicketCreation;
  ticketBudget: RateBudget;
  page: OidcPage;
  /** The contract's login routes, where the interaction's ticket is polled and followed. */
  loginPrefix: string;
}

/**
 * A lookup that fails is "not found", unless the storage cannot be reached: that is the
 * 503 to try again, not the end of the login.
 */
function notFound(error: unknown): undefined {
  if (error instanceof StoreUnavailable) throw error;
  return undefined;
}

const loginBody = z.object({ token: z.string().min(1).max(4096) }).strict();
const abortBody = z.object({ reason: z.enum(['cancelled', 'denied']) }).strict();

/**
 * The login interaction of the OpenID Connect provider, at `/oidc/interaction/:uid`: the
 * scan page and the JSON it calls. Every step first proves the browser is the one the
 * authorization began in (`interactionDetails` reads its interaction cookie, which is
 * scoped to this path) and that the uid is that interaction's. The login step also needs
 * the token the phone's confirm delivered to this browser's ticket secret: a scene alone,
 * or another browser's cookie, finishes nothing.
 */
export function interactionRoutes({ provider, service, createTicket, ticketBudget, page, loginPrefix }: Deps): Router {
  const router = new Router({ prefix: `${OIDC_MOUNT}/interaction/:uid` });

  async function interaction(ctx: Context) {
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch(notFound);
    if (!details || details.uid !== ctx.params.uid) throw new InteractionNotFound();
    return details;
  }

  /** The relying party the interaction's authorization came from. */
  async function clientOf(details: Awaited<ReturnType<typeof interaction>>) {
    const client = await provider.Client.find(String(details.params.client_id));
    if (!client) throw new InteractionNotFound();
    return { id: client.clientId, name: client.clientName ?? client.clientId };
  }

  async function finish(ctx: Context, result: Parameters<Provider['interactionResult']>[2]): Promise<void> {
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { redirectTo };
  }

  router.get('/', async (ctx: Context) => {
    await interaction(ctx);
    await page.serve(ctx);
  });

  router.get('/details', async (ctx: Context) => {
    const details = await interaction(ctx);
    const client = await clientOf(details);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      uid: details.uid,
      prompt: details.prompt.name,
      client,
      scopes: String(details.params.scope ?? '').split(' ').filter(Boolean),
      loginPrefix,
    };
  });

  router.post('/tickets', spend(ticketBudget), async (ctx: Context) => {
    const details = await interaction(ctx);
    const client = await clientOf(details);
    await createTicket(ctx, { clientId: client.id, name: client.name, interaction: details.uid });
  });

  router.post('/login', async (ctx: Context) => {
    const { token } = validate(loginBody, await readJson(ctx));
    const details = await interaction(ctx);
    const ticketId = token.split('.')[0];
    const ticket = await service.find(ticketId).catch(notFound);
    // Checked before spending: a token of another interaction is refused, not burnt.
    if (ticket?.relyingParty?.interaction !== details.uid) throw new TokenInvalid();
    const redeemed = await service.redeem(ticketId, token);
    if (!redeemed?.userId) throw new TokenInvalid();
    await finish(ctx, { login: { accountId: redeemed.userId } });
  });

  router.post('/consent', async (ctx: Context) => {
    await readJson(ctx);
    const details = await interaction(ctx);
    if (details.prompt.name !== 'consent' || !details.session) throw new InteractionNotFound();
    const grantId = await grantMissing(
      provider,
      { accountId: details.session.accountId, clientId: String(details.params.client_id), grantId: details.grantId },
      details.prompt.details as MissingGrant,
    );
    await finish(ctx, { consent: { grantId } });
  });

  router.post('/abort', async (ctx: Context) => {
    const { reason } = validate(abortBody, await readJson(ctx));
    await interaction(ctx);
    await finish(ctx, {
      error: 'access_denied',
      error_description: reason === 'cancelled' ? 'The user cancelled the login on the phone.' : 'The user denied access.',
    });
  });

  return router;
}
