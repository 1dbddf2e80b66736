import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { LoginService, TicketView } from '../core/login-service';
import type { CodeImages } from '../wechat/code-images';
import { bearer } from './bearer';
import { readJson } from './json-body';
import { requesterView } from './requester-view';
import { cancelBody, confirmBody, scanBody } from './schemas';
import { validate } from './validate';

interface Deps {
  service: LoginService;
  codeImages: CodeImages;
  siteName: string;
  /** Guards the calls that create state or spend WeChat quota (rate-limit.ts). */
  limit: Middleware;
}

const iso = (ms: number) => new Date(ms).toISOString();

function viewBody(view: TicketView) {
  return { ...view, expiresAt: iso(view.expiresAt) };
}

/**
 * The ticket endpoints of the contract. Each handler reads and validates its input
 * before the service looks at any ticket, so a malformed body is 400 whatever the state.
 */
export function ticketRoutes({ service, codeImages, siteName, limit }: Deps): Router {
  const router = new Router({ prefix: '/api/login/tickets' });

  router.post('/', limit, async (ctx: Context) => {
    const { ticket, secret } = await service.create({
      ip: ctx.ip,
      userAgent: ctx.get('user-agent').slice(0, 512),
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ticketId: ticket.id,
      secret,
      expiresAt: iso(ticket.expiresAt),
      qrcodeUrl: `/api/login/tickets/${ticket.id}/qrcode`,
    };
  });

  router.get('/:ticketId', async (ctx: Context) => {
    const view = await service.poll(ctx.params.ticketId, bearer(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = viewBody(view);
  });

  router.get('/:ticketId/qrcode', async (ctx: Context) => {
    const ticket = await service.find(ctx.params.ticketId);
    const { contentType, image } = await codeImages.get(ticket.id);
    ctx.type = contentType;
    // The image never changes for a ticket, and a ticket lives minutes.
    ctx.set('Cache-Control', 'private, max-age=300, immutable');
    ctx.body = image;
  });

  router.post('/:ticketId/scan', limit, async (ctx: Context) => {
    const body = validate(scanBody, await readJson(ctx));
    const { ticket, scanToken } = await service.scan(ctx.params.ticketId, body.launchScene);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: 'scanned',
      scanToken,
      requester: requesterView(ticket),
      expiresAt: iso(ticket.expiresAt),
      site: { name: siteName },
    };
  });

  router.post('/:ticketId/confirm', limit, async (ctx: Context) => {
    const body = validate(confirmBody, await readJson(ctx));
    const user = await service.confirm(ctx.params.ticketId, body.scanToken, body.code, body.profile);
    ctx.body = { status: 'confirmed', user };
  });

  router.post('/:ticketId/cancel', limit, async (ctx: Context) => {
    const body = validate(cancelBody, await readJson(ctx));
    await service.cancel(ctx.params.ticketId, body.scanToken);
    ctx.body = { status: 'cancelled' };
  });

  return router;
}
