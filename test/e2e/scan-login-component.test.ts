import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { createScanLogin, type ScanLogin } from '../../server/scan-login';
import { describeInBrowser } from '../support/browser';
import { PhoneSide } from '../support/phone-side';
import { tempDir } from '../support/temp-dir';
import { scanBlobCode, statusIs } from './code-on-page';
import { startHostSite, type HostSite } from './host-site';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'react-host');
const PREFIX = '/auth/wechat';

/** Builds the fixture app with Vite, as its author would, into `outDir`. */
function buildFixture(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = join(ROOT, 'web', 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', join(FIXTURE, 'vite.config.mjs'), '--outDir', outDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed:\n${Buffer.concat(output)}`))));
  });
}

describeInBrowser('<ScanLogin> in a React app on another origin', (_browser, newContext) => {
  const built = tempDir('mp-scan-login-react-host-');
  const data = tempDir('mp-scan-login-react-login-');
  let host: HostSite;
  let stranger: HostSite;
  let scanLogin: ScanLogin;
  let loginServer: Server;
  let loginUrl: string;
  let phone: PhoneSide;

  beforeAll(async () => {
    await buildFixture(built.path);
    host = await startHostSite(built.path);
    stranger = await startHostSite(built.path);
    // The library as a Node site mounts it: its own prefix, this one site allowed across origins.
    scanLogin = await createScanLogin({
      prefix: PREFIX,
      dataDir: data.path,
      corsOrigins: [host.url],
      logger: pino({ level: 'silent' }),
    });
    loginServer = createServer((req, res) => scanLogin.handler(req, res));
    scanLogin.attach(loginServer);
    await new Promise<void>((resolve) => loginServer.listen(0, '127.0.0.1', resolve));
    loginUrl = `http://127.0.0.1:${(loginServer.address() as AddressInfo).port}`;
    host.embed(loginUrl);
    stranger.embed(loginUrl);
    phone = new PhoneSide(loginUrl, PREFIX);
  }, 60_000);
  afterAll(async () => {
    await scanLogin?.close();
    await new Promise((resolve) => loginServer?.close(resolve));
    await host?.close();
    await stranger?.close();
    built.remove();
    data.remove();
  });

  const appUrl = (site: HostSite, locale = 'en') =>
    `${site.url}/?${new URLSearchParams({ server: loginUrl, prefix: PREFIX, locale })}`;

  it('shows the code, follows the scan and hands the token to the app once confirmed', async () => {
    const page = await (await newContext({ viewport: { width: 420, height: 720 } })).newPage();
    await page.goto(appUrl(host));
    const ticketId = await scanBlobCode(page);
    await statusIs(page, 'pending');
    expect(await page.getByTestId('login-status').textContent()).toBe('Scan the code with WeChat to log in');
    expect(await page.locator('.msl.shop-login').count()).toBe(1);

    const scanToken = await phone.scan(ticketId);
    await statusIs(page, 'scanned');
    const user = await phone.confirm(ticketId, { scanToken, profile: { nickname: 'Carol' } });
    const greeting = page.getByTestId('host-greeting');
    await greeting.waitFor();
    expect(await greeting.textContent()).toBe('Hello, Carol');
    const token = await greeting.getAttribute('data-token');
    expect((await scanLogin.verify(token!))?.id).toBe(user.id);
  });

  it('speaks the language the app asks for', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto(appUrl(host, 'zh'));
    await scanBlobCode(page);
    expect(await page.getByTestId('login-status').textContent()).toBe('请使用微信扫码登录');
    expect(await page.locator('.msl').getAttribute('lang')).toBe('zh-CN');
  });

  it('is refused on an origin the server does not list: no ticket, and the page says it cannot reach the server', async () => {
    const create = jest.spyOn(scanLogin.service, 'create');
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto(appUrl(stranger));
    const error = page.getByTestId('login-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-code')).toBe('NETWORK_ERROR');
    await statusIs(page, 'error');
    expect(create).not.toHaveBeenCalled();
    create.mockRestore();
  });
});
