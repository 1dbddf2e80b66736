// An existing Koa site (its own pages and 404, signed-cookie sessions, a WebSocket of its
// own) adding "scan with WeChat to log in" under /auth/wechat. Everything outside that
// prefix stays the site's.
const { createServer } = require('node:http');
const Koa = require('koa');
const { WebSocketServer } = require('ws');
const { createScanLogin } = require('mp-scan-login');
const { homePage, loginPage, notFoundPage, loginScript } = require('../shared/pages');
const { SiteSessions, redeemRefusal } = require('../shared/site-sessions');

const PREFIX = '/auth/wechat';
const COOKIE = { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 3600 * 1000 };

async function readJson(ctx) {
  let text = '';
  for await (const chunk of ctx.req) {
    text += chunk;
    if (text.length > 1024) ctx.throw(413, 'too large');
  }
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'not JSON');
  }
}

/** The site on a node:http server, not listening yet; `close()` ends everything it opened. */
async function createSite({ dataDir, publicUrl, wechat, keys, logger }) {
  const sessions = new SiteSessions();
  const scanLogin = await createScanLogin({ prefix: PREFIX, publicUrl, dataDir, wechat, logger, onLogin: sessions.onLogin });

  const app = new Koa();
  app.keys = keys;
  app.use(scanLogin.middleware);
  app.use(async (ctx) => {
    const sessionId = ctx.cookies.get('sid', { signed: true });
    if (ctx.method === 'GET' && ctx.path === '/') {
      ctx.type = 'html';
      ctx.body = homePage(sessions.account(sessionId));
    } else if (ctx.method === 'GET' && ctx.path === '/login') {
      ctx.type = 'html';
      ctx.body = loginPage(PREFIX);
    } else if (ctx.method === 'GET' && ctx.path === '/login.js') {
      ctx.type = 'js';
      ctx.body = loginScript;
    } else if (ctx.method === 'POST' && ctx.path === '/auth/session') {
      // Not ctx.origin: in Koa 3 that is the request's Origin header, not this site's.
      const refusal = redeemRefusal(ctx.get('content-type'), ctx.get('origin') || undefined, `${ctx.protocol}://${ctx.host}`);
      if (refusal) ctx.throw(403, refusal);
      const newSession = sessions.redeem((await readJson(ctx))?.code);
      if (!newSession) ctx.throw(401, 'unknown or spent code');
      ctx.cookies.set('sid', newSession, { ...COOKIE, secure: ctx.secure });
      ctx.body = { account: sessions.account(newSession) };
    } else if (ctx.method === 'GET' && ctx.path === '/me') {
      const account = sessions.account(sessionId);
      if (!account) ctx.throw(401, 'not logged in');
      ctx.body = { account };
    } else if (ctx.method === 'POST' && ctx.path === '/logout') {
      sessions.end(sessionId);
      ctx.cookies.set('sid', null, COOKIE);
      ctx.status = 303;
      ctx.redirect('/');
    } else {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = notFoundPage();
    }
  });

  const server = createServer(app.callback());
  scanLogin.attach(server);
  // The site's own live feed. `noServer` and a path check, not `{ server, path }`: in that
  // mode ws answers 400 to upgrades of every other path, the login's socket included.
  const live = new WebSocketServer({ noServer: true });
  live.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo: ${data}`)));
  server.on('upgrade', (request, socket, head) => {
    if (request.url === '/live') live.handleUpgrade(request, socket, head, (ws) => live.emit('connection', ws, request));
  });

  return {
    server,
    async close() {
      await scanLogin.close();
      for (const socket of live.clients) socket.terminate();
      await new Promise((resolve) => live.close(resolve));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

module.exports = { createSite };
