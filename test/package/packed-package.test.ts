import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../support/temp-dir';
import { echo, ExampleSite, redeem, scanLogin } from './example-site';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const PREFIX = '/auth/wechat';

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh
 * project next to the site's own dependencies, and the repository's `examples/` run on it
 * as plain JavaScript with no TypeScript toolchain, CommonJS and ESM. Slow (the install
 * compiles better-sqlite3), so one install serves every host.
 */
describe('the packed mp-scan-login package', () => {
  let project: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    project = tempDir('mp-scan-login-host-');
    await run('npm', ['pack', '--pack-destination', project.path], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const tarball = readdirSync(project.path).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(project.path, 'package.json'), JSON.stringify({ name: 'host', version: '1.0.0', private: true }));
    await run('npm', ['install', `./${tarball}`, 'koa@3.3.0', 'express@5.3.0', 'ws@8.23.0', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project.path,
      maxBuffer: 16 * 1024 * 1024,
    });
    cpSync(join(ROOT, 'examples'), join(project.path, 'examples'), { recursive: true });
    cpSync(join(__dirname, 'host-site.mjs'), join(project.path, 'host-site.mjs'));
  }, 600_000);

  afterAll(() => project?.remove());

  it('ships compiled JavaScript with type declarations, and no TypeScript sources', () => {
    const pkg = join(project.path, 'node_modules', 'mp-scan-login');
    expect(existsSync(join(pkg, 'dist', 'server', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'server', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'server'))).toBe(false);
  });

  it('ships the browser entries: the client and the React component as ES modules with types, the drop-in as a file', async () => {
    const resolve = "for (const name of ['mp-scan-login/client', 'mp-scan-login/react', 'mp-scan-login/react/styles.css', 'mp-scan-login/scan-login.js']) console.log(import.meta.resolve(name));";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', resolve], { cwd: project.path });
    expect(stdout.trim().split('\n').map((url) => url.replace(/^.*node_modules\/mp-scan-login\//, ''))).toEqual([
      'dist/browser/client.js',
      'dist/browser/react.js',
      'dist/browser/styles.css',
      'dist/browser/scan-login.js',
    ]);
    const client = "const { LoginClient, DEFAULT_PREFIX } = await import('mp-scan-login/client'); console.log(typeof LoginClient, DEFAULT_PREFIX);";
    expect((await run(process.execPath, ['--input-type=module', '-e', client], { cwd: project.path })).stdout.trim()).toBe('function /api/login');
    const pkg = join(project.path, 'node_modules', 'mp-scan-login', 'dist', 'browser');
    expect(existsSync(join(pkg, 'types', 'client', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'types', 'react', 'index.d.ts'))).toBe(true);
  });

  it('ships the confirm page for mini-programs: the Taro folder to copy in and the built native page', () => {
    const pkg = join(project.path, 'node_modules', 'mp-scan-login', 'miniapp');
    expect(existsSync(join(pkg, 'src', 'scan-login', 'pages', 'confirm', 'index.tsx'))).toBe(true);
    for (const file of ['config.js', 'pages/confirm/index.js', 'pages/confirm/index.wxml', 'pages/confirm/index.wxss']) {
      expect(existsSync(join(pkg, 'dist', 'native', 'scan-login', file))).toBe(true);
    }
  });

  it('imports by name from an ESM host, refuses bad options with ScanLoginOptionsError, and exits after close()', async () => {
    const data = tempDir('mp-scan-login-esm-');
    try {
      const { stdout } = await run(process.execPath, ['host-site.mjs', data.path], { cwd: project.path, timeout: 60_000 });
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ status: 201, refused: true });
    } finally {
      data.remove();
    }
  });

  describe.each([
    ['examples/koa-site/server.js', 'a CommonJS Koa site mounting the middleware, with a WebSocket of its own', true],
    ['examples/express-site/server.mjs', 'an ESM Express site through the node:http handler', false],
  ])('%s, %s', (file, _, ownSocket) => {
    let data: ReturnType<typeof tempDir>;
    let site: ExampleSite;
    let url: string;

    beforeAll(async () => {
      data = tempDir('mp-scan-login-example-');
      ({ site, url } = await ExampleSite.start(file, project.path, data.path));
    }, 60_000);

    afterAll(async () => {
      await site?.stop();
      data?.remove();
    });

    it("keeps the site's own pages and 404 page", async () => {
      expect(await (await fetch(`${url}/`)).text()).toContain('Log in with WeChat');
      const missing = await fetch(`${url}/nothing`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('There is no such page in this shop.');
      const login = await (await fetch(`${url}/login`)).text();
      expect(login).toContain(`<script src="${PREFIX}/scan-login.js" defer></script>`);
    });

    it('serves the drop-in script the page loads from the installed package', async () => {
      const script = await fetch(`${url}${PREFIX}/scan-login.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect((await script.text()).length).toBeGreaterThan(10_000);
    });

    if (ownSocket) {
      it("keeps the site's own WebSocket", async () => {
        expect(await echo(url, 'hello')).toBe('echo: hello');
      });
    }

    it("runs the whole login under the prefix; the page's token is a one-time code, redeemed once for the site's cookie", async () => {
      const { token, imageType } = await scanLogin(url, PREFIX, 'shopper');
      expect(imageType).toBe('image/png');
      const first = await redeem(url, token);
      expect(first.status).toBe(200);
      expect(first.cookie).toMatch(/^sid=/);
      const me = await fetch(`${url}/me`, { headers: { cookie: first.cookie } });
      expect(await me.json()).toEqual({ account: { openid: expect.any(String), nickname: 'shopper' } });
      expect(await (await fetch(`${url}/`, { headers: { cookie: first.cookie } })).text()).toContain('Hello, shopper');
      expect((await redeem(url, token)).status).toBe(401);
    });

    it('refuses a code posted from another site (login CSRF)', async () => {
      const { token } = await scanLogin(url, PREFIX, 'victim');
      expect((await redeem(url, token, { origin: 'https://evil.example' })).status).toBe(403);
    });

    it('exits by itself on SIGTERM once close() is done', async () => {
      expect(await site.stop()).toBe(0);
      expect(site.log()).toContain('closed');
    });
  });
});
