import express from 'express';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createScanLogin, ScanLogin } from '../../server/scan-login';
import { PhoneSide } from '../support/phone-side';
import { tempDir } from '../support/temp-dir';
import { WsClient } from '../support/ws-client';

const PREFIX = '/auth/wechat';

/** An Express site mounting scan login through the node:http handler, with sessions of its own. */
describe('createScanLogin mounted in an Express host', () => {
  let dir: ReturnType<typeof tempDir>;
  let scanLogin: ScanLogin;
  let server: Server;
  let url: string;
  const codes = new Map<string, string>();

  beforeAll(async () => {
    dir = tempDir();
    scanLogin = await createScanLogin({
      prefix: PREFIX,
      dataDir: dir.path,
      logger: pino({ level: 'silent' }),
      onLogin: ({ openid }) => {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, openid);
        return code;
      },
    });
    const app = express();
    app.use(scanLogin.handler);
    app.post('/session', (req, res) => {
      const openid = codes.get(String(req.query.code));
      codes.delete(String(req.query.code));
      if (!openid) return void res.status(401).send('bad code');
      res.cookie('sid', randomBytes(8).toString('hex'), { httpOnly: true }).send('ok');
    });
    app.use((_req, res) => void res.status(404).send('express 404'));
    server = createServer(app);
    scanLogin.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await scanLogin.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  it("keeps Express's own 404 for paths outside the prefix", async () => {
    const response = await fetch(`${url}/elsewhere`);
    expect([response.status, await response.text()]).toEqual([404, 'express 404']);
  });

  it("runs the whole login, the page's token being the host's one-time code, redeemed once", async () => {
    const created = await (await fetch(`${url}${PREFIX}/tickets`, { method: 'POST' })).json();
    const page = await new WsClient(url.replace('http', 'ws'), `${PREFIX}/ws`).open();
    page.subscribe(created.ticketId, created.secret);
    await page.message(0);
    await new PhoneSide(url, PREFIX).confirm(created.ticketId, { user: 'express-user' });
    const { token } = await page.message(2);
    const redeem = () => fetch(`${url}/session?code=${token}`, { method: 'POST' });
    const first = await redeem();
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toMatch(/^sid=/);
    expect((await redeem()).status).toBe(401);
    page.close();
  });
});
