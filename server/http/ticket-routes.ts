import Router from '@koa/router';
import type { Context } from 'koa';
import type { LoginService, TicketView } from '../core/login-service';
import { closedReason, type RelyingParty } from '../core/ticket';
import { ipKey } from '../limits/ip-key';
import type { LiveTicketCaps } from '../limits/live-tickets';
import type { RateBudget } from '../limits/rate-budget';
import type { CodeImages } from '../wechat/code-images';
import { bearer } from './bearer';
import { readJson } from './json-body';
import { spend } from './limit';
import { requesterView } from './requester-view';
import { cancelBody, confirmBody, scanBody } from './schemas';
import { validate } from './validate';

/** The budgets that guard the calls which create state or spend WeChat quota. */
export interface TicketLimits {
  tickets: RateBudget;
  phone: RateBudget;
  codeImagesPerIp: RateBudget;
  /** One key for the whole app: below WeChat's own quota for getwxacodeunlimit. */
  wechatCodeFetches: RateBudget;
  live: LiveTicketCaps;
}

export interface TicketRouteDeps {
  /** Where the routes live: '/api/login' standalone, the host's choice in the library. */
  prefix: string;
  service: LoginService;
  codeImages: CodeImages;
  siteName: string;
  limits: TicketLimits;
  wechat: 'simulator' | 'real';
  /** Simulator outside production: the phone page for a ticket, so a visitor can log in without a phone. */
  phoneUrl?: (ticketId: string) => string;
}

const APP_WIDE = 'app';

const iso = (ms: number) => new Date(ms).toISOString();

function viewBody(view: TicketView) {
  return { ...view, expiresAt: iso(view.expiresAt) };
}

export type TicketCreation = (ctx: Context, relyingParty?: RelyingParty) => Promise<void>;

/**
 * `POST ${prefix}/tickets`' answer, for the contract's route and for an OpenID Connect
 * interaction's own tickets alike: a live slot for the client, the ticket, its secret
 * once. Run after the creation budget (`spend(limits.tickets)`).
 */
export function ticketCreation({ prefix, service, limits, wechat, phoneUrl }: TicketRouteDeps): TicketCreation {
  return async (ctx, relyingParty) => {
    // Nothing is read from the body, but it is held to the same 16 KB and JSON as the rest.
    await readJson(ctx);
    const slot = await limits.live.reserve(ipKey(ctx.ip));
    let created;
    try {
      created = await service.create({ ip: ctx.ip, userAgent: ctx.get('user-agent').slice(0, 512) }, relyingParty);
    } catch (error) {
      // The place is the client's again; a store that cannot free it lets it expire.
      await limits.live.release(slot).catch(() => undefined);
      throw error;
    }
    const { ticket, secret } = created;
    await limits.live.bind(slot, ticket.id);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ticketId: ticket.id,
      secret,
      expiresAt: iso(ticket.expiresAt),
      qrcodeUrl: `${prefix}/tickets/${ticket.id}/qrcode`,
      wechat,
      ...(phoneUrl && { phoneUrl: phoneUrl(ticket.id) }),
    };
  };
}

/**
 * The ticket endpoints of the contract. Each handler reads and validates its input
 * before the service looks at any ticket, so a malformed body is 400 whatever the state.
 */
export function ticketRoutes(deps: TicketRouteDeps): Router {
  const { prefix, service, codeImages, siteName, limits, wechat } = deps;
  const router = new Router({ prefix: `${prefix}/tickets` });
  const phone = spend(limits.phone);
  const createTicket = ticketCreation(deps);

  router.post('/', spend(limits.tickets), (ctx: Context) => createTicket(ctx));

  router.get('/:ticketId', async (ctx: Context) => {
    // HEAD must be safe: its answer has no body, so it must not be the one delivery.
    const look = ctx.method === 'HEAD' ? service.status : service.poll;
    const view = await look.call(service, ctx.params.ticketId, bearer(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = viewBody(view);
  });

  router.get('/:ticketId/qrcode', async (ctx: Context) => {
    const ticket = await service.find(ctx.params.ticketId);
    // A finished ticket's code can only mislead, and fetching it would spend quota.
    const closed = closedReason(ticket);
    if (closed) throw closed;
    const { contentType, image } = await codeImages.get(ticket.id, ticket.expiresAt, async () => {
      await limits.codeImagesPerIp.take(ipKey(ctx.ip));
      await limits.wechatCodeFetches.take(APP_WIDE);
    });
    ctx.type = contentType;
    // The image never changes for a ticket, and a ticket lives minutes.
    ctx.set('Cache-Control', 'private, max-age=300, immutable');
    // Another site may not embed it: the code is only safe on the page that holds its secret.
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.body = image;
  });

  router.post('/:ticketId/scan', phone, async (ctx: Context) => {
    const body = validate(scanBody, await readJson(ctx));
    const { ticket, scanToken } = await service.scan(ctx.params.ticketId, body.launchScene, body.scanToken);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: 'scanned',
      scanToken,
      requester: requesterView(ticket),
      expiresAt: iso(ticket.expiresAt),
      // A relying party's ticket logs into that site: the phone must name it, not us.
      site: { name: ticket.relyingParty?.name ?? siteName },
      wechat,
    };
  });

  router.post('/:ticketId/confirm', phone, async (ctx: Context) => {
    const body = validate(confirmBody, await readJson(ctx));
    const user = await service.confirm(ctx.params.ticketId, body.scanToken, body.code, body.profile);
    ctx.body = { status: 'confirmed', user };
  });

  router.post('/:ticketId/cancel', phone, async (ctx: Context) => {
    const body = validate(cancelBody, await readJson(ctx));
    await service.cancel(ctx.params.ticketId, body.scanToken);
    ctx.body = { status: 'cancelled' };
  });

  return router;
}
