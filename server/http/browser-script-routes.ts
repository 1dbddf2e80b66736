import Router from '@koa/router';
import type { Context } from 'koa';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { BrowserScriptNotBuilt } from '../errors';
import { builtBrowserFile } from './browser-build';

const SCRIPT = 'scan-login.js';

export const builtScriptPath = () => builtBrowserFile(SCRIPT);

/**
 * `GET ${prefix}/scan-login.js`: the `<script>` drop-in, for sites with no build step.
 * Other sites load it, and a cross-origin `<script>` is a no-cors request, which
 * `Cross-Origin-Resource-Policy: same-origin` would block; the script holds no secret, so
 * it is `cross-origin`. Its URL has no version in it: caches keep it five minutes, then
 * revalidate (ETag), so a deploy reaches every host page within minutes.
 */
export function browserScriptRoutes(prefix: string, locate: () => string | undefined = builtScriptPath): Router {
  const router = new Router({ prefix });
  router.get(`/${SCRIPT}`, async (ctx: Context) => {
    const file = locate();
    const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
    if (!file || !info?.isFile()) throw new BrowserScriptNotBuilt();
    ctx.status = 200;
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    ctx.lastModified = info.mtime;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.length = info.size;
    // Koa sends no body for HEAD and destroys the stream once the response is done.
    ctx.body = createReadStream(file);
  });
  return router;
}
