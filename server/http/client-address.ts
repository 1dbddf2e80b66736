import type { Context, Next } from 'koa';
import { clientIp } from '../limits/client-ip';

/**
 * Sets `ctx.ip` once, to the address the nearest trusted proxy saw (limits/client-ip.ts),
 * so routes, the audit and the limits all see the same, valid address.
 */
export function clientAddress(trustedHops: number) {
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.request.ip = clientIp(ctx.req, trustedHops);
    await next();
  };
}
