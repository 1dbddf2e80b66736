import Router from '@koa/router';
import Koa from 'koa';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { createScanLogin, ScanLogin } from '../../server/scan-login';
import { ScanLoginOptionsError } from '../../server/scan-login-options';
import { PhoneSide } from '../support/phone-side';
import { decodeQr } from '../support/qr';
import { tempDir } from '../support/temp-dir';
import { WsClient } from '../support/ws-client';

const PREFIX = '/auth/wechat';
const quiet = { logger: pino({ level: 'silent' }) };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A site written as a user's would be: its own routes and 404 text, cookie sessions it
 * issues itself, a ws of its own, and scan login mounted under /auth/wechat whose token
 * is a one-time code the site's backend redeems for its cookie.
 */
async function hostSite(dataDir: string) {
  const codes = new Map<string, { userId: string; openid: string; expiresAt: number }>();
  const sessions = new Map<string, string>();
  const scanLogin = await createScanLogin({
    prefix: PREFIX,
    dataDir,
    ...quiet,
    onLogin: async ({ user, openid }) => {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { userId: user.id, openid, expiresAt: Date.now() + 30_000 });
      return code;
    },
  });
  const app = new Koa();
  app.use(scanLogin.middleware);
  const router = new Router();
  router.get('/', (ctx) => (ctx.body = 'host home'));
  router.post('/session', async (ctx) => {
    const code = ctx.query.code as string;
    const grant = codes.get(code);
    // Single use and short-lived: deleted on first redemption.
    codes.delete(code);
    if (!grant || grant.expiresAt < Date.now()) {
      ctx.status = 401;
      ctx.body = 'bad code';
      return;
    }
    const sid = randomBytes(16).toString('hex');
    sessions.set(sid, grant.openid);
    ctx.cookies.set('sid', sid, { httpOnly: true });
    ctx.body = 'ok';
  });
  router.get('/whoami', (ctx) => (ctx.body = sessions.get(ctx.cookies.get('sid') ?? '') ?? 'nobody'));
  app.use(router.routes());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'host 404';
  });
  const server = createServer(app.callback());
  const own = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (request.url === '/host-ws') own.handleUpgrade(request, socket, head, (ws) => ws.send('host ws'));
  });
  scanLogin.attach(server);
  const url = await listen(server);
  return { url, server, scanLogin, own };
}

describe('createScanLogin mounted in a Koa host', () => {
  let dir: ReturnType<typeof tempDir>;
  let site: Awaited<ReturnType<typeof hostSite>>;

  beforeAll(async () => {
    dir = tempDir();
    site = await hostSite(dir.path);
  });

  afterAll(async () => {
    await site.scanLogin.close();
    site.own.close();
    site.server.closeAllConnections();
    await new Promise((resolve) => site.server.close(resolve));
    dir.remove();
  });

  it("leaves the host's own routes, 404s, headers and ws as they were", async () => {
    const home = await fetch(`${site.url}/`);
    expect(await home.text()).toBe('host home');
    expect(home.headers.get('content-security-policy')).toBeNull();
    expect(home.headers.get('x-request-id')).toBeNull();
    const missing = await fetch(`${site.url}/nothing`);
    expect([missing.status, await missing.text()]).toEqual([404, 'host 404']);
    const ws = new WebSocket(`${site.url.replace('http', 'ws')}/host-ws`);
    const greeting = await new Promise((resolve) => ws.once('message', (data) => resolve(data.toString())));
    expect(greeting).toBe('host ws');
    ws.close();
  });

  it('answers unknown paths under its prefix itself, in the JSON error format', async () => {
    const response = await fetch(`${site.url}${PREFIX}/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it("runs the whole login under the prefix, the page's token being the host's one-time code", async () => {
    const created = await (await fetch(`${site.url}${PREFIX}/tickets`, { method: 'POST' })).json();
    expect(created.qrcodeUrl).toBe(`${PREFIX}/tickets/${created.ticketId}/qrcode`);
    const image = Buffer.from(await (await fetch(`${site.url}${created.qrcodeUrl}`)).arrayBuffer());
    const scene = new URL(decodeQr(image).replace('#/', '')).searchParams.get('scene');
    expect(scene).toBe(created.ticketId);

    const page = await new WsClient(site.url.replace('http', 'ws'), `${PREFIX}/ws`).open();
    page.subscribe(created.ticketId, created.secret);
    expect(await page.message(0)).toMatchObject({ status: 'pending' });
    await new PhoneSide(site.url, PREFIX).confirm(created.ticketId, { user: 'host-user' });
    const confirmed = await page.message(2);
    expect(confirmed).toMatchObject({ status: 'confirmed', token: expect.any(String) });

    const redeem = () => fetch(`${site.url}/session?code=${confirmed.token}`, { method: 'POST' });
    const first = await redeem();
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    const openid = await (await fetch(`${site.url}/whoami`, { headers: { cookie } })).text();
    expect(openid).toBe(site.scanLogin.simulator!.openidOf('host-user'));
    expect((await redeem()).status).toBe(401);
    page.close();
  });
});

describe('createScanLogin through the node:http handler', () => {
  it('serves the login under the prefix and passes everything else to next()', async () => {
    const dir = tempDir();
    const scanLogin = await createScanLogin({ prefix: PREFIX, dataDir: dir.path, ...quiet });
    const server = createServer((req, res) =>
      scanLogin.handler(req, res, () => {
        res.writeHead(418);
        res.end('host');
      }),
    );
    scanLogin.attach(server);
    const url = await listen(server);
    try {
      expect((await fetch(`${url}/elsewhere`)).status).toBe(418);
      const created = await (await fetch(`${url}${PREFIX}/tickets`, { method: 'POST' })).json();
      await new PhoneSide(url, PREFIX).confirm(created.ticketId);
      const poll = await fetch(`${url}${PREFIX}/tickets/${created.ticketId}`, {
        headers: { authorization: `Bearer ${created.secret}` },
      });
      const { token } = await poll.json();
      expect(await scanLogin.verify(token)).toMatchObject({ id: expect.any(String) });
    } finally {
      await scanLogin.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      dir.remove();
    }
  });
});

describe('createScanLogin logout', () => {
  let dir: ReturnType<typeof tempDir>;
  let scanLogin: ScanLogin;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = tempDir();
    scanLogin = await createScanLogin({ dataDir: dir.path, ...quiet });
    server = createServer((req, res) => scanLogin.handler(req, res));
    scanLogin.attach(server);
    url = await listen(server);
  });

  afterAll(async () => {
    await scanLogin.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  async function loggedIn(): Promise<string> {
    const created = await (await fetch(`${url}/api/login/tickets`, { method: 'POST' })).json();
    await new PhoneSide(url).confirm(created.ticketId);
    const poll = await fetch(`${url}/api/login/tickets/${created.ticketId}`, {
      headers: { authorization: `Bearer ${created.secret}` },
    });
    return (await poll.json()).token;
  }

  it('revokes the token at once: verify refuses it from the next call on, other sessions stay', async () => {
    const token = await loggedIn();
    const other = await loggedIn();
    const logout = await fetch(`${url}/api/login/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ status: 'logged-out' });
    expect(await scanLogin.verify(token)).toBeUndefined();
    expect(await scanLogin.verify(other)).toBeDefined();
  });

  it('answers a logout without a valid token with 401 TOKEN_INVALID', async () => {
    const response = await fetch(`${url}/api/login/logout`, { method: 'POST', headers: { authorization: 'Bearer junk' } });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('TOKEN_INVALID');
  });
});

describe('createScanLogin with oidc', () => {
  it("mounts the OpenID Connect provider at /oidc of the host's publicUrl, leaving the host's routes alone", async () => {
    const dir = tempDir();
    const server = createServer();
    const url = await listen(server);
    const scanLogin = await createScanLogin({
      dataDir: dir.path,
      ...quiet,
      publicUrl: url,
      oidc: { clients: [{ client_id: 'shop', client_secret: 'shop-secret', redirect_uris: ['https://shop.example/cb'] }] },
    });
    const app = new Koa();
    app.use(scanLogin.middleware);
    app.use((ctx) => (ctx.body = 'host'));
    server.on('request', app.callback());
    try {
      const discovery = await (await fetch(`${url}/oidc/.well-known/openid-configuration`)).json();
      expect(discovery).toMatchObject({ issuer: `${url}/oidc`, authorization_endpoint: `${url}/oidc/auth`, response_types_supported: ['code'] });
      expect((await (await fetch(`${url}/oidc/jwks`)).json()).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(await (await fetch(`${url}/oidcs`)).text()).toBe('host');
      const noInteraction = await fetch(`${url}/oidc/interaction/nope/details`);
      expect((await noInteraction.json()).error.code).toBe('INTERACTION_NOT_FOUND');
    } finally {
      await scanLogin.close();
      server.closeAllConnections();
      server.close();
      dir.remove();
    }
  });

  it('closes the stores it opened when the provider cannot start (a broken key file)', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'oidc-jwks.json'), 'not json');
      const starting = createScanLogin({
        dataDir: dir.path,
        ...quiet,
        publicUrl: 'http://localhost:1',
        oidc: { clients: [{ client_id: 'shop', client_secret: 'shop-secret', redirect_uris: ['https://shop.example/cb'] }] },
      });
      await expect(starting).rejects.toThrow(/oidc-jwks\.json/);
      // SQLite removes its write-ahead log when the last connection closes.
      expect(existsSync(join(dir.path, 'mp-scan-login.db-wal'))).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('needs publicUrl: the issuer cannot follow whatever port the host got', async () => {
    await expect(createScanLogin({ ...quiet, oidc: { clients: [{ client_id: 'a', redirect_uris: ['https://a.example/cb'] }] } })).rejects.toThrow(
      /publicUrl is required with oidc/,
    );
  });
});

describe('createScanLogin with an onLogin that fails', () => {
  it('answers that confirm 500 INTERNAL_ERROR without its cause, and the phone can confirm again', async () => {
    const dir = tempDir();
    let failures = 1;
    const scanLogin = await createScanLogin({
      dataDir: dir.path,
      ...quiet,
      onLogin: async ({ openid }) => {
        if (failures-- > 0) throw new Error('host database down at 10.0.0.7');
        return `code-for-${openid}`;
      },
    });
    const server = createServer((req, res) => scanLogin.handler(req, res));
    scanLogin.attach(server);
    const url = await listen(server);
    try {
      const ticket = await (await fetch(`${url}/api/login/tickets`, { method: 'POST' })).json();
      const phone = new PhoneSide(url);
      const scanToken = await phone.scan(ticket.ticketId);
      const failed = await phone.confirm(ticket.ticketId, { scanToken }).catch((error: Error) => error.message);
      expect(failed).toMatch(/answered 500: .*INTERNAL_ERROR/);
      expect(failed).not.toContain('10.0.0.7');
      await phone.confirm(ticket.ticketId, { scanToken });
      const poll = await fetch(`${url}/api/login/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${ticket.secret}` } });
      expect((await poll.json()).token).toMatch(/^code-for-/);
    } finally {
      await scanLogin.close();
      server.closeAllConnections();
      server.close();
      dir.remove();
    }
  });
});

describe('createScanLogin options', () => {
  function problems(options: Parameters<typeof createScanLogin>[0]): Promise<string[]> {
    return createScanLogin(options).then(
      () => [],
      (error: unknown) => {
        if (error instanceof ScanLoginOptionsError) return error.problems;
        throw error;
      },
    );
  }

  it.each([
    [{ prefix: 'auth' }, 'prefix'],
    [{ prefix: '/auth/' }, 'prefix'],
    [{ wechat: { appid: 'nope', secret: 'x' } }, 'wechat.appid'],
    [{ limits: { perFortnight: 3 } }, 'limits.perFortnight'],
    [{ ticketTtlSeconds: 0 }, 'ticketTtlSeconds'],
    [{ production: true }, 'wechat'],
    [{ production: true, simulator: true }, 'jwt.secret'],
    [{ prefx: '/auth/wechat' }, 'prefx'],
    [{ logger: 'info' }, 'logger'],
  ])('refuses %j, naming %s', async (options, name) => {
    const found = await problems({ ...quiet, ...(options as object) });
    expect(found.join('\n')).toContain(name);
  });

  it('runs the simulator in production only when asked, with a JWT secret', async () => {
    const dir = tempDir();
    const scanLogin = await createScanLogin({
      ...quiet,
      dataDir: dir.path,
      production: true,
      simulator: true,
      jwt: { secret: 'x'.repeat(32) },
    });
    expect(scanLogin.wechat).toBe('simulator');
    await scanLogin.close();
    dir.remove();
  });
});
