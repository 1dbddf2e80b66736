import type { Context, Middleware } from 'koa';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OidcPageNotBuilt } from '../errors';
import { builtBrowserFile } from '../http/browser-build';
import { staticFiles } from '../http/static-files';
import { OIDC_MOUNT } from './oidc-provider';

/** The interaction's scan page: web/src/oidc, built into dist/browser/oidc with its assets under /oidc/assets/. */
export interface OidcPage {
  serve(ctx: Context): Promise<void>;
  assets: Middleware;
}

export function oidcPage(locate = () => builtBrowserFile('oidc', 'index.html')): OidcPage {
  // Located per request (a build made after start-up is found); the file server is made
  // once per build directory.
  let served: { dir: string; files: Middleware } | undefined;
  return {
    async serve(ctx) {
      const file = locate();
      if (!file) throw new OidcPageNotBuilt();
      ctx.type = 'html';
      // The page is the same for every interaction, but it must never be a cached copy
      // that outlives the interaction cookie it runs with.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await readFile(file);
    },
    async assets(ctx, next) {
      const file = locate();
      if (!file) return next();
      const dir = dirname(file);
      // Called for /oidc/assets/ only; served from /oidc/ so Vite's hashed assets/ are cached for good.
      if (served?.dir !== dir) served = { dir, files: staticFiles(`${OIDC_MOUNT}/`, dir) };
      return served.files(ctx, next);
    },
  };
}
