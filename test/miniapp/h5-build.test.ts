import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir';
import { filesOf } from './support/files';
import { buildMiniapp, TaroBuild } from './support/taro-build';

const BUILD_TIMEOUT_MS = 300_000;

describe('the H5 build', () => {
  const dir = tempDir('mp-scan-login-h5-');
  const out = join(dir.path, 'h5');
  let build: TaroBuild;
  let html: string;
  let assets: string[];

  beforeAll(async () => {
    // Empty: the platform default, i.e. same origin as the page (the server serves it).
    build = await buildMiniapp('h5', out, { TARO_APP_API_BASE: '' });
    html = readFileSync(join(out, 'index.html'), 'utf8');
    assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  }, BUILD_TIMEOUT_MS);
  afterAll(() => dir.remove());

  /** Every script of the build, entry and lazily loaded chunks alike. */
  function scripts(): string {
    return filesOf(join(out, 'js'), '.js')
      .map((file) => readFileSync(join(out, 'js', file), 'utf8'))
      .join('\n');
  }

  it('loads its scripts and styles from /miniapp/, where the server serves it', () => {
    console.info(`build:h5 took ${build.ms} ms`);
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/miniapp\/(js|css)\//);
      expect(existsSync(join(out, asset.slice('/miniapp/'.length)))).toBe(true);
    }
  });

  it("has no inline script or style, which the server's Content-Security-Policy would block", () => {
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(html.match(/<style|\sstyle=/g)).toBeNull();
  });

  it("extracts the CSS that Taro's runtime would write into <style> elements", () => {
    const css = filesOf(join(out, 'css'), '.css')
      .map((file) => readFileSync(join(out, 'css', file), 'utf8'))
      .join('\n');
    // One rule each from @tarojs/components' own CSS, a component (Stencil), and the router.
    expect(css).toContain('.taro-app-wrap');
    expect(css).toMatch(/taro-input-core\{/);
    expect(css).toContain('.taro-navigation-bar-hide{display:none}');
  });

  it("routes by hash, so the simulator's QR URL /miniapp/#/pages/confirm/index?scene=… opens the confirm page", () => {
    const appConfig = /"router":\{"mode":"(\w+)"\},"pages":(\[[^\]]*\])/.exec(scripts());
    expect(appConfig && [appConfig[1], JSON.parse(appConfig[2])]).toEqual(['hash', ['pages/index/index', 'pages/confirm/index']]);
  });

  it("declares the page's default language, Chinese, and lets the reader zoom", () => {
    expect(html).toMatch(/<html lang="zh-CN">/);
    expect(html).toMatch(/<meta name="viewport" content="width=device-width,initial-scale=1">/);
  });

  it("renders the buttons as real <button>s, not Taro's <taro-button-core>, which keyboards and screen readers cannot use", () => {
    const bundle = scripts();
    expect(bundle).toContain('"confirm-login"');
    expect(bundle.includes('taro-button-core')).toBe(false);
  });

  it('calls the API on its own origin, not on the weapp default', () => {
    expect(scripts().includes('localhost:3000')).toBe(false);
  });
});
