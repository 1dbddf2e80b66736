import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir';
import type { CiCheckResult } from './support/miniprogram-ci-check';
import { buildMiniapp, TaroBuild } from './support/taro-build';
import { compileWxml, compileWxss } from './support/wechat-compilers';

const ROOT = join(__dirname, '..', '..');
const BUILD_TIMEOUT_MS = 300_000;
const API_BASE = 'http://api.example.test:8080';
const PAGES = ['pages/index/index', 'pages/confirm/index'];

/** miniprogram-ci's offline compile and analysis over `projectPath`, in a child process (see the script). */
function miniprogramCiCheck(projectPath: string, resultFile: string): Promise<CiCheckResult> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(__dirname, 'support', 'miniprogram-ci-check.ts'), projectPath, resultFile],
    { cwd: ROOT, stdio: 'ignore' },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      if (existsSync(resultFile)) resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as CiCheckResult);
      else reject(new Error('miniprogram-ci-check wrote no result'));
    });
  });
}

describe('the weapp build', () => {
  const dir = tempDir('mp-scan-login-weapp-');
  const out = join(dir.path, 'weapp');
  let build: TaroBuild;

  beforeAll(async () => {
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

  it("keeps the contract's element ids and the API base from the environment", () => {
    const confirmPage = readFileSync(join(out, 'pages', 'confirm', 'index.js'), 'utf8');
    for (const id of ['confirm-login', 'cancel-login', 'confirm-result']) expect(confirmPage).toContain(`"${id}"`);
    const scripts = ['app.js', 'common.js'].map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
    expect(scripts).toContain(API_BASE);
  });

  it("uses WeChat's own button, and asks the server whether to take the login code from its simulator", () => {
    const scripts = ['app.js', 'common.js', 'pages/confirm/index.js']
      .map((file) => readFileSync(join(out, file), 'utf8'))
      .join('\n');
    expect(scripts).toContain('/healthz');
    expect(scripts).toContain('/__wechat__/sim/login');
    expect(scripts).toContain('"sim-login-notice"');
    // The H5 build's native <button> (action-button.h5.tsx) stays out of the weapp build.
    expect(scripts.includes('action-button-primary')).toBe(false);
  });

  it("compiles every template with WeChat's wcc", () => {
    const run = compileWxml(out);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('$gwx');
  });

  it("compiles every style with WeChat's wcsc", () => {
    const run = compileWxss(out);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('pages/confirm/index.wxss');
  });

  it("passes miniprogram-ci's offline compile and code analysis", async () => {
    const result = await miniprogramCiCheck(out, join(dir.path, 'ci-result.json'));
    expect(result.problems).toEqual([]);
    expect(result.compiledFiles).toEqual(expect.arrayContaining(['app.json', ...PAGES.map((page) => `${page}.wxml`)]));
  }, 120_000);
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
