import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
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
 * Headers every answer of the standalone server carries (helmet's): the CSP above,
 * nosniff so an image or JSON answer is never run as a script,
 * `Cross-Origin-Resource-Policy: same-origin` so other sites cannot embed the code
 * images, and HSTS only when the public URL is https (on plain http it would lock a
 * developer's localhost to https for a year).
 */
export function securityHeaders(publicUrl: string): Middleware {
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: publicUrl.startsWith('https:') ? { maxAge: 31_536_000 } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    return next();
  };
}

/**
 * The headers helmet sets, worked out once. With no function in the policy they are the
 * same for every request, and running helmet (behind a promise per request, as koa-helmet
 * does) cost a twentieth of a scan's time to its push.
 */
function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.push([name, String(value)]),
    // X-Powered-By: Koa never sets it.
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
