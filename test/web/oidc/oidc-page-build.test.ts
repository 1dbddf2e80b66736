import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, OIDC_PAGE_BUILD } from '../../../server/build/front-end-builds';

const ROOT = join(__dirname, '..', '..', '..');
const OUT = join(ROOT, 'dist', 'browser', 'oidc');

/**
 * The interaction page is served at `/oidc/interaction/:uid` under the strict CSP
 * (`default-src 'self'`, no inline script or style), its files at `/oidc/assets/*`: a
 * relative URL would resolve under the interaction's path, and anything inline is blocked.
 */
describe('the built OpenID interaction page', () => {
  let html: string;

  beforeAll(async () => {
    await ensureBuilt([OIDC_PAGE_BUILD], ROOT);
    html = readFileSync(join(OUT, 'index.html'), 'utf8');
  }, 120_000);

  it('loads its script and stylesheet from /oidc/assets/, files the build wrote there', () => {
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      expect(url).toMatch(/^\/oidc\/assets\/[\w.-]+$/);
      expect(existsSync(join(OUT, url.slice('/oidc/'.length)))).toBe(true);
    }
    expect(html).toMatch(/<script type="module"[^>]* src="\/oidc\/assets\/[^"]+\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet"[^>]* href="\/oidc\/assets\/[^"]+\.css">/);
  });

  it('has no inline script, style, style attribute or event handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});
