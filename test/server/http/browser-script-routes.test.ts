import Koa from 'koa';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { browserScriptRoutes, builtScriptPath } from '../../../server/http/browser-script-routes';
import { errorHandler } from '../../../server/http/error-handler';
import { startTestServer, type TestServer } from '../../support/test-server';
import { tempDir } from '../../support/temp-dir';

const SCRIPT = 'var MpScanLogin=(function(){return{}})();\n';

/** The routes alone in a Koa app, serving `file` (or nothing) under /auth/wechat. */
async function serving(locate: () => string | undefined): Promise<{ url: string; server: Server }> {
  const app = new Koa();
  app.use(errorHandler);
  app.use(browserScriptRoutes('/auth/wechat', locate).routes());
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/wechat/scan-login.js`, server };
}

describe('browserScriptRoutes', () => {
  const dir = tempDir('mp-scan-login-script-');
  const file = join(dir.path, 'scan-login.js');
  let built: { url: string; server: Server };
  let missing: { url: string; server: Server };

  beforeAll(async () => {
    writeFileSync(file, SCRIPT);
    built = await serving(() => file);
    missing = await serving(() => undefined);
  });
  afterAll(async () => {
    await Promise.all([built, missing].map(({ server }) => new Promise((resolve) => server.close(resolve))));
    dir.remove();
  });

  it('serves the script to other sites: JavaScript, cross-origin, cached a few minutes', async () => {
    const response = await fetch(built.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(SCRIPT);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers a revalidation with 304 while the build is unchanged', async () => {
    const etag = (await fetch(built.url)).headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    // As a browser revalidates; fetch() alone would add `no-cache`, which asks for the body.
    const again = await fetch(built.url, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await fetch(built.url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(await response.text()).toBe('');
  });

  it('says in JSON, with a stable code, that the script was not built', async () => {
    const response = await fetch(missing.url);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BROWSER_SCRIPT_NOT_BUILT');
  });
});

describe('browserScriptRoutes in the standalone server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves the repository's build under /api/login, cross-origin despite the server's same-origin default", async () => {
    const response = await fetch(`${server.url}/api/login/scan-login.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await response.text()).toBe(readFileSync(builtScriptPath()!, 'utf8'));
    expect(builtScriptPath()).toMatch(/dist[\\/]browser[\\/]scan-login\.js$/);
  });
});
