// A user's Koa site in plain CommonJS, mounting the packed library under /auth/wechat:
// its own routes, 404 text and cookie sessions; the whole login; then close() and a
// process that exits by itself. Prints one JSON line of what it saw.
const Koa = require('koa');
const { createServer } = require('node:http');
const { randomBytes } = require('node:crypto');
const { createScanLogin } = require('mp-scan-login');

const PREFIX = '/auth/wechat';

async function main() {
  const codes = new Map();
  const sessions = new Map();
  const scanLogin = await createScanLogin({
    prefix: PREFIX,
    dataDir: process.argv[2],
    logger: require('pino')({ level: 'silent' }),
    onLogin: async ({ openid }) => {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, openid);
      return code;
    },
  });
  const app = new Koa();
  app.use(scanLogin.middleware);
  app.use(async (ctx) => {
    if (ctx.path === '/session' && ctx.method === 'POST') {
      const openid = codes.get(ctx.query.code);
      codes.delete(ctx.query.code);
      if (!openid) return void ((ctx.status = 401), (ctx.body = 'bad code'));
      const sid = randomBytes(8).toString('hex');
      sessions.set(sid, openid);
      ctx.cookies.set('sid', sid);
      ctx.body = 'ok';
      return;
    }
    if (ctx.path === '/') return void (ctx.body = 'host home');
    ctx.status = 404;
    ctx.body = 'host 404';
  });
  const server = createServer(app.callback());
  scanLogin.attach(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const post = async (path, body) => {
    const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    return { status: response.status, body: await response.text() };
  };

  const seen = {};
  seen.home = await (await fetch(`${url}/`)).text();
  seen.missing = await (await fetch(`${url}/nothing`)).text();
  const ticket = JSON.parse((await post(`${PREFIX}/tickets`)).body);
  seen.image = (await fetch(url + ticket.qrcodeUrl)).headers.get('content-type');
  const { scanToken } = JSON.parse((await post(`${PREFIX}/tickets/${ticket.ticketId}/scan`)).body);
  const { code } = JSON.parse((await post('/__wechat__/sim/login', { user: 'packed' })).body);
  seen.confirm = (await post(`${PREFIX}/tickets/${ticket.ticketId}/confirm`, { scanToken, code })).status;
  const poll = await fetch(`${url}${PREFIX}/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${ticket.secret}` } });
  const { token } = await poll.json();
  seen.tokenIsHostCode = codes.has(token);
  seen.redeemed = (await post(`/session?code=${token}`)).status;
  seen.redeemedAgain = (await post(`/session?code=${token}`)).status;

  await scanLogin.close();
  server.closeAllConnections();
  server.close();
  console.log(JSON.stringify(seen));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
