import type { Context, Next } from 'koa';

/**
 * Headers every answer carries. DENY framing because a login page inside someone else's
 * frame is how a code gets shown to a victim under a false name (clickjacking / QRLJacking);
 * nosniff so an image or JSON answer is never run as a script.
 */
export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
  await next();
}
