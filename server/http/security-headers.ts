import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/**
 * The policy of every page this server serves. No inline script anywhere: the session
 * token sits in sessionStorage, so a script injected into the page would own the
 * account. `frame-ancestors 'none'` (and X-Frame-Options for old browsers) because a
 * login code inside someone else's frame is shown to a victim under a false name
 * (clickjacking / QRLJacking). Avatars are https URLs the mini-program uploaded elsewhere.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Headers every answer of the standalone server carries (helmet's, through koa-helmet):
 * the CSP above, nosniff so an image or JSON answer is never run as a script,
 * `Cross-Origin-Resource-Policy: same-origin` so other sites cannot embed the code
 * images, and HSTS only when the public URL is https (on plain http it would lock a
 * developer's localhost to https for a year).
 */
export function securityHeaders(publicUrl: string): Middleware {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: publicUrl.startsWith('https:') ? { maxAge: 31_536_000 } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
