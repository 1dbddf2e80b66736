// node examples/express-site/server.mjs: an existing Express site (ES modules) adding
// "scan with WeChat to log in" through the library's node:http handler under /auth/wechat.
// PORT (default 4001), DATA_DIR, PUBLIC_URL, WECHAT_APPID/WECHAT_SECRET as the Koa example.
import { createServer } from 'node:http';
import express from 'express';
import { createScanLogin } from 'mp-scan-login';
import { homePage, loginPage, notFoundPage, loginScript } from '../shared/pages.js';
import { SiteSessions, redeemRefusal } from '../shared/site-sessions.js';

const PREFIX = '/auth/wechat';
// No cookie-parser needed for one opaque, random session id.
const sessionId = (req) => /(?:^|;\s*)sid=([\w-]+)/.exec(req.get('cookie') ?? '')?.[1];

const sessions = new SiteSessions();
const scanLogin = await createScanLogin({
  prefix: PREFIX,
  publicUrl: process.env.PUBLIC_URL,
  dataDir: process.env.DATA_DIR ?? './data',
  wechat: process.env.WECHAT_APPID ? { appid: process.env.WECHAT_APPID, secret: process.env.WECHAT_SECRET } : undefined,
  onLogin: sessions.onLogin,
});

const app = express();
// Before any body parser: the library reads its own bodies. It calls next() outside PREFIX.
app.use(scanLogin.handler);
app.get('/', (req, res) => res.type('html').send(homePage(sessions.account(sessionId(req)))));
app.get('/login', (req, res) => res.type('html').send(loginPage(PREFIX)));
app.get('/login.js', (req, res) => res.type('js').send(loginScript));
app.post('/auth/session', express.json({ limit: '1kb' }), (req, res) => {
  const refusal = redeemRefusal(req.get('content-type'), req.get('origin'), `${req.protocol}://${req.get('host')}`);
  if (refusal) return res.status(403).json({ error: refusal });
  const newSession = sessions.redeem(req.body?.code);
  if (!newSession) return res.status(401).json({ error: 'unknown or spent code' });
  res.cookie('sid', newSession, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: 7 * 24 * 3600 * 1000 });
  res.json({ account: sessions.account(newSession) });
});
app.get('/me', (req, res) => {
  const account = sessions.account(sessionId(req));
  if (!account) return res.status(401).json({ error: 'not logged in' });
  res.json({ account });
});
app.post('/logout', (req, res) => {
  sessions.end(sessionId(req));
  res.clearCookie('sid').redirect(303, '/');
});
app.use((req, res) => res.status(404).type('html').send(notFoundPage()));

const server = createServer(app);
scanLogin.attach(server);
server.listen(Number(process.env.PORT ?? 4001), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});

const stop = async () => {
  await scanLogin.close();
  server.closeAllConnections();
  server.close(() => console.log('closed'));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
