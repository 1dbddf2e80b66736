import type { Context, Next } from 'koa';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/**
 * Serves a built front end (web/dist, miniapp/dist/h5) under `prefix`. Paths are resolved
 * and checked to stay inside `root`, so `..` cannot reach the rest of the disk.
 * Vite's hashed `assets/` are cached for good; the rest is revalidated so a rebuild shows at once.
 */
export function staticFiles(prefix: string, root: string) {
  const base = resolve(root);
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (prefix.length > 1 && ctx.path === prefix.slice(0, -1)) return ctx.redirect(prefix);
    if (!ctx.path.startsWith(prefix)) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(prefix.length));
    } catch {
      return next();
    }
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = resolve(join(base, relative));
    if (!file.startsWith(base + sep)) return next();
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return next();
    ctx.type = extname(file);
    ctx.length = info.size;
    ctx.lastModified = info.mtime;
    ctx.set('Cache-Control', relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    // Koa sends no body for HEAD and destroys the stream when the response finishes; a
    // null body here would turn the answer into a 204.
    ctx.body = createReadStream(file);
  };
}
