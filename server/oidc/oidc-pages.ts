import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import { StoreUnavailable } from '../errors';

/**
 * The provider's own HTML pages (errors, the logout question, signed out), in place of
 * oidc-provider's defaults: those load Google Fonts and inline a <style>, which the
 * server's CSP (no inline style, nothing off-site) would block. Plain markup, both
 * languages, and never an error's internals: only the OAuth error code and description.
 */
const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

/**
 * What the provider answers when its storage cannot be reached, in place of its 500
 * `server_error`: a 503 (see storageUnavailable) that passes by itself.
 */
export const STORAGE_UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'The login service cannot reach its storage right now. Try again in a moment.',
};

/**
 * oidc-provider answers any failure it did not raise itself 500 `server_error`, then
 * emits `server_error` while the answer can still change: a store that cannot be reached
 * is made the 503 it is everywhere else. Its HTML page is renderError's; a JSON answer is
 * replaced here. Returns whether the error was that.
 */
export function storageUnavailable(ctx: KoaContextWithOIDC, error: unknown): boolean {
  if (!(error instanceof StoreUnavailable)) return false;
  ctx.status = 503;
  if (ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body)) ctx.body = STORAGE_UNAVAILABLE;
  return true;
}

export async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut, cause?: unknown): Promise<void> {
  const shown = cause instanceof StoreUnavailable ? STORAGE_UNAVAILABLE : out;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = page(
    '登录出错 · Login failed',
    `<main data-testid="oidc-error">
<h1>登录出错 · Login failed</h1>
<p>请回到原网站重新登录。 Go back to the site and log in again.</p>
<p><code data-testid="oidc-error-code">${escape(shown.error)}</code> ${escape(shown.error_description)}</p>
</main>`,
  );
}

/**
 * Browsers hold a form's redirects to the page's CSP `form-action` too, and the logout
 * form ends at the relying party's post-logout URI (already checked against the client's
 * registration by the provider): that one origin is allowed for this page only.
 */
function allowFormRedirectTo(ctx: KoaContextWithOIDC, target: unknown): void {
  const csp = ctx.response.get('Content-Security-Policy');
  if (typeof target !== 'string' || !csp) return;
  let origin: string;
  try {
    origin = new URL(target).origin;
  } catch {
    return;
  }
  ctx.set('Content-Security-Policy', csp.replace(/form-action ([^;]*)/, (_directive, sources) => `form-action ${sources} ${origin}`));
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  allowFormRedirectTo(ctx, ctx.oidc.params?.post_logout_redirect_uri);
  const site = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? ctx.host;
  ctx.type = 'html';
  ctx.body = page(
    '退出登录 · Log out',
    `<main>
<h1>退出 ${escape(site)}？ · Log out of ${escape(site)}?</h1>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout" data-testid="oidc-logout-yes">退出 · Log out</button>
<button type="submit" form="op.logoutForm" data-testid="oidc-logout-no">保持登录 · Stay logged in</button>
</main>`,
  );
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('已退出 · Logged out', '<main data-testid="oidc-logged-out"><h1>已退出 · You are logged out</h1></main>');
}
