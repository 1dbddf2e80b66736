import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { tempDir } from '../support/temp-dir';
import { filesOf } from './support/files';
import { buildTaroApp, TaroBuild } from './support/taro-build';
import { itPassesWeChatChecks } from './support/wechat-checks';

const ROOT = join(__dirname, '..', '..');
const FOLDER = join(ROOT, 'miniapp', 'src', 'scan-login');
const FIXTURE = join(__dirname, 'fixtures', 'taro-app');
const BUILD_TIMEOUT_MS = 300_000;
const PAGE = 'scan-login/pages/confirm/index';
const PAGES = ['pages/index/index', PAGE];

/** Every import of a module of the folder: `from '…'`, `import '…'`. */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((match) => match[1]);
}

/**
 * miniapp/src/scan-login, which README tells a Taro developer to copy into their app's
 * src/ and list as a subpackage. Here it is copied into someone's existing app
 * (test/miniapp/fixtures/taro-app: its own home page and app.css, its own TARO_APP_API_BASE,
 * and scan-login's variables pointing at a site that mounts the server under /auth/wechat).
 */
describe('the scan-login folder, copied into an existing Taro app', () => {
  const dir = tempDir('mp-scan-login-taro-app-');
  const app = join(dir.path, 'app');
  const out = join(app, 'dist');
  let build: TaroBuild;
  const read = (file: string) => readFileSync(join(out, file), 'utf8');

  beforeAll(async () => {
    cpSync(FIXTURE, app, { recursive: true });
    cpSync(FOLDER, join(app, 'src', 'scan-login'), { recursive: true });
    // The app's own dependencies, as `npm install` would have put them beside it.
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
    build = await buildTaroApp(app, 'weapp', out);
  }, BUILD_TIMEOUT_MS);
  afterAll(() => dir.remove());

  it('imports nothing from outside the folder but Taro and React', () => {
    const outside = filesOf(FOLDER, '.ts')
      .concat(filesOf(FOLDER, '.tsx'))
      .flatMap((file) => importsOf(join(FOLDER, file)).map((request) => ({ file, request })))
      .filter(({ file, request }) =>
        request.startsWith('.')
          ? relative(FOLDER, resolve(dirname(join(FOLDER, file)), request)).startsWith('..')
          : !/^(@tarojs\/[\w-]+|react)$/.test(request),
      );
    expect(outside).toEqual([]);
  });

  it('builds the app with the folder as its subpackage, the main package left as it was', () => {
    console.info(`taro build --type weapp of the existing app took ${build.ms} ms`);
    expect(JSON.parse(read('app.json'))).toMatchObject({
      pages: ['pages/index/index'],
      subPackages: [{ root: 'scan-login', pages: ['pages/confirm/index'] }],
    });
    for (const extension of ['js', 'json', 'wxml', 'wxss']) expect(existsSync(join(out, `${PAGE}.${extension}`))).toBe(true);
    // All of the page's code is in the subpackage, loaded when a code is scanned, not at launch.
    const mainPackage = filesOf(out, '.js').filter((file) => !file.startsWith('scan-login/'));
    expect(mainPackage.filter((file) => read(file).includes('"confirm-login"'))).toEqual([]);
    expect(read(`${PAGE}.js`)).toContain('"confirm-login"');
  });

  it("calls the login server and prefix of scan-login's variables, not the app's own API base", () => {
    const script = read(`${PAGE}.js`);
    expect(script).toContain('"https://login.example.test"');
    expect(script).toContain('"/auth/wechat"');
    expect(script).not.toContain('api.example.test');
  });

  it("styles only its own scan-login- classes, so the app's .card and .title stay the app's", () => {
    const classes = new Set([...read(`${PAGE}.wxss`).matchAll(/(?<![\w.])\.([A-Za-z][\w-]*)/g)].map((match) => match[1]));
    expect(classes).toContain('scan-login-card');
    expect([...classes].filter((name) => !name.startsWith('scan-login-'))).toEqual([]);
    expect(read('app.wxss')).toContain('.card{');
  });

  itPassesWeChatChecks(() => out, PAGES);
});
