import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir';
import { buildMiniapp, TaroBuild } from './support/taro-build';
import { itPassesWeChatChecks } from './support/wechat-checks';
import { compileWxml, compileWxss } from './support/wechat-compilers';

const BUILD_TIMEOUT_MS = 300_000;
const API_BASE = 'http://api.example.test:8080';
const PAGES = ['pages/index/index', 'pages/confirm/index'];

describe('the weapp build', () => {
  const dir = tempDir('mp-scan-login-weapp-');
  const out = join(dir.path, 'weapp');
  let build: TaroBuild;

  beforeAll(async () => {
    // The app's own name, which miniapp/.env hands on to the scan-login folder's.
    build = await buildMiniapp('weapp', out, { TARO_APP_API_BASE: API_BASE });
  }, BUILD_TIMEOUT_MS);
  afterAll(() => dir.remove());

  it('lists the home and confirm pages in app.json, each with its script, config and template', () => {
    const app = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8')) as { pages: string[] };
    expect(app.pages).toEqual(PAGES);
    for (const page of PAGES) {
      for (const extension of ['.js', '.json', '.wxml']) expect(existsSync(join(out, page + extension))).toBe(true);
    }
    console.info(`build:weapp took ${build.ms} ms`);
  });

  it('writes a project.config.json that devtools can open, with URL checks off for a local server', () => {
    const config = JSON.parse(readFileSync(join(out, 'project.config.json'), 'utf8'));
    expect(config).toMatchObject({ miniprogramRoot: './', compileType: 'miniprogram', setting: { urlCheck: false } });
    expect(config.appid).toEqual(expect.any(String));
  });

  it("keeps the contract's element ids, the confirm page's title, and the API base from the environment", () => {
    const confirmPage = readFileSync(join(out, 'pages', 'confirm', 'index.js'), 'utf8');
    for (const id of ['confirm-login', 'cancel-login', 'confirm-result']) expect(confirmPage).toContain(`"${id}"`);
    // The page config re-exported from the scan-login folder's.
    expect(JSON.parse(readFileSync(join(out, 'pages', 'confirm', 'index.json'), 'utf8'))).toMatchObject({
      navigationBarTitleText: '确认登录',
    });
    const scripts = ['app.js', 'common.js'].map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
    expect(scripts).toContain(API_BASE);
  });

  it("uses WeChat's own button, and takes the login code from the simulator when the scan answer says so", () => {
    const scripts = ['app.js', 'common.js', 'pages/confirm/index.js']
      .map((file) => readFileSync(join(out, file), 'utf8'))
      .join('\n');
    expect(scripts).toContain('/__wechat__/sim/login');
    expect(scripts).toContain('"sim-login-notice"');
    // A host site that mounts the server library has no /healthz: nothing asks it.
    expect(scripts.includes('/healthz')).toBe(false);
    // The H5 build's native <button> (action-button.h5.tsx) stays out of the weapp build.
    expect(scripts.includes('scan-login-action-button-primary')).toBe(false);
  });

  itPassesWeChatChecks(() => out, PAGES);
});

describe("WeChat's compilers", () => {
  const dir = tempDir('mp-scan-login-broken-');
  afterAll(() => dir.remove());

  it('reject a template with an unclosed tag and a style with a stray brace', () => {
    mkdirSync(join(dir.path, 'pages'), { recursive: true });
    writeFileSync(join(dir.path, 'pages', 'broken.wxml'), '<view><text>hi</view>\n');
    writeFileSync(join(dir.path, 'pages', 'broken.wxss'), '.a { color: red;\n.b {\n');
    const wxml = compileWxml(dir.path);
    const wxss = compileWxss(dir.path);
    expect(wxml.status).not.toBe(0);
    expect(wxml.stderr).toContain('pages/broken.wxml:1:');
    expect(wxss.status).not.toBe(0);
    expect(wxss.stderr).toContain('pages/broken.wxss');
  });
});
