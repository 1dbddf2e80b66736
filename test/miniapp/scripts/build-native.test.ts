import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { buildNative } from '../../../miniapp/scripts/build-native';
import { createScanLogin, ScanLogin } from '../../../server/scan-login';
import { tempDir } from '../../support/temp-dir';
import { fetchTransport } from '../support/fetch-transport';
import { miniprogramCiCheck } from '../support/miniprogram-ci';
import { fakeWx, fire, loadNativePage, NativePage, WxRecord } from '../support/native-page';
import { itPassesWeChatChecks } from '../support/wechat-checks';
import { byId, textOf, WxmlNode, wxmlRenderer } from '../support/wxml-tree';

const FIXTURE = join(__dirname, '..', 'fixtures', 'native-app');
const PAGE = 'scan-login/pages/confirm/index';
const PAGES = ['pages/index/index', PAGE];
/** The host site mounts the server library here, not at the standalone /api/login. */
const PREFIX = '/auth/wechat';
const DESKTOP_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * miniapp/scripts/build-native.ts, and what it builds doing its job: copied into an
 * existing native mini-program (test/miniapp/fixtures/native-app) as README says, the
 * subpackage passes WeChat's checks, and its page, run with a `wx` of its own against a
 * host site that mounts the server library under /auth/wechat, logs the computer in.
 */
describe('buildNative', () => {
  const dir = tempDir('mp-scan-login-native-');
  const app = join(dir.path, 'app');
  let files: string[];
  let host: { scanLogin: ScanLogin; server: Server; url: string };

  beforeAll(async () => {
    const started = Date.now();
    files = await buildNative(join(dir.path, 'native'));
    console.info(`build:native took ${Date.now() - started} ms`);
    const scanLogin = await createScanLogin({ prefix: PREFIX, dataDir: join(dir.path, 'data'), logger: pino({ level: 'silent' }) });
    const server = createServer(scanLogin.handler);
    scanLogin.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = { scanLogin, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    // What the developer does: copy the app, the folder into it, and edit config.js.
    cpSync(FIXTURE, app, { recursive: true });
    cpSync(join(dir.path, 'native', 'scan-login'), join(app, 'scan-login'), { recursive: true });
    const config = readFileSync(join(app, 'scan-login', 'config.js'), 'utf8');
    writeFileSync(
      join(app, 'scan-login', 'config.js'),
      config.replace("apiBase: ''", `apiBase: '${host.url}/'`).replace("prefix: ''", `prefix: '${PREFIX}'`),
    );
  }, 60_000);
  afterAll(async () => {
    await host?.scanLogin.close();
    await new Promise((resolve) => host?.server.close(resolve));
    dir.remove();
  });

  it('writes the subpackage folder: the page with its script, config, template and style, and config.js', () => {
    expect(files).toEqual(['scan-login/config.js', ...['js', 'json', 'wxml', 'wxss'].map((extension) => `${PAGE}.${extension}`)]);
  });

  it("bundles the page's logic from the TypeScript, leaving config.js to be read at run time", () => {
    const script = readFileSync(join(dir.path, 'native', `${PAGE}.js`), 'utf8');
    expect(script).toMatch(/^\/\/ Built by miniapp\/scripts\/build-native\.ts/);
    expect(script).toContain('require("../../config.js")');
    expect(script.match(/require\(/g)).toHaveLength(1);
    // No module syntax WeChat would not run, no Node or DOM globals.
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).not.toMatch(/\bprocess\.|\bdocument\./);
  });

  it("styles only its own scan-login- classes, in rpx, so the app's .card and .title stay the app's", () => {
    const wxss = readFileSync(join(dir.path, 'native', `${PAGE}.wxss`), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const classes = new Set([...wxss.matchAll(/(?<![\w.])\.([A-Za-z][\w-]*)/g)].map((match) => match[1]));
    expect(classes).toContain('scan-login-card');
    expect([...classes].filter((name) => !name.startsWith('scan-login-'))).toEqual([]);
    expect(wxss).toContain('padding: 40rpx 32rpx;');
    expect(wxss).not.toMatch(/\d+px\b/);
  });

  itPassesWeChatChecks(() => app, PAGES);

  it("fails miniprogram-ci's analysis when the subpackage lacks its config.js", async () => {
    const broken = join(dir.path, 'broken');
    cpSync(app, broken, { recursive: true });
    rmSync(join(broken, 'scan-login', 'config.js'));
    const result = await miniprogramCiCheck(broken);
    expect(result.problems).toEqual([expect.stringContaining('Couldn\'t resolve the Js file "../../config.js"')]);
  }, 120_000);

  describe('its page, run against a host site with the prefix /auth/wechat', () => {
    let render: (page: string, data: object) => WxmlNode;
    const open: Array<NativePage> = [];

    beforeAll(() => {
      render = wxmlRenderer(app);
    });
    afterEach(() => {
      for (const page of open.splice(0)) fire(page, 'onUnload');
    });

    async function newTicket(): Promise<{ ticketId: string; secret: string }> {
      const response = await fetch(`${host.url}${PREFIX}/tickets`, { method: 'POST', headers: { 'user-agent': DESKTOP_UA } });
      expect(response.status).toBe(201);
      return (await response.json()) as { ticketId: string; secret: string };
    }

    function openPage(query: Record<string, string>, options: { language?: string; scene?: number } = {}) {
      const { wx, record } = fakeWx({ transport: fetchTransport, ...options });
      const page = loadNativePage(app, PAGE, wx);
      open.push(page);
      fire(page, 'onLoad', query);
      return { page, record, shown: () => render(PAGE, page.data) };
    }

    async function until(shown: () => WxmlNode, id: string): Promise<WxmlNode> {
      const deadline = Date.now() + 5000;
      for (;;) {
        const node = byId(shown(), id);
        if (node) return node;
        if (Date.now() > deadline) throw new Error(`#${id} never showed; data ${JSON.stringify(shown())}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    function onlyPrefixAndSimulator(record: WxRecord): void {
      expect(record.urls.length).toBeGreaterThan(0);
      for (const url of record.urls) expect(url).toMatch(new RegExp(`^${host.url}(${PREFIX}/tickets/|/__wechat__/sim/login$)`));
    }

    it('shows who asks, confirms on #confirm-login with the nickname, and the computer gets its token', async () => {
      const ticket = await newTicket();
      const { page, record, shown } = openPage({ scene: ticket.ticketId });
      expect(textOf(await until(shown, 'requester'))).toMatch(/^mp-scan-login wants to log in with your WeChatBrowserChrome 131OSMac OS/);
      expect(record.titles).toEqual(['Confirm login']);
      // The host simulates WeChat: the page says so, and takes its login code from the simulator.
      expect(textOf(byId(shown(), 'simulator-notice'))).toMatch(/^WeChat is simulated — demo only/);
      expect(textOf(byId(shown(), 'sim-user-name'))).toBe('alice');
      expect(byId(shown(), 'time-left')?.attr).toMatchObject({ 'data-state': 'counting' });
      expect(textOf(byId(shown(), 'time-left'))).toMatch(/^The code expires in [12]:\d\d$/);

      fire(page, 'onNickname', { detail: { value: 'Nat' } });
      fire(page, 'onConfirm');
      expect(byId(shown(), 'confirm-login')?.attr).toMatchObject({ disabled: true, loading: true });
      const result = await until(shown, 'confirm-result');
      expect(result.attr).toMatchObject({ 'data-outcome': 'confirmed' });
      expect(textOf(result)).toBe('Logged in on your computerYou can close this page.');

      const polled = await fetch(`${host.url}${PREFIX}/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${ticket.secret}` } });
      expect(await polled.json()).toMatchObject({ status: 'confirmed', token: expect.any(String), user: { nickname: 'Nat' } });
      onlyPrefixAndSimulator(record);
    });

    it('cancels on #cancel-login, in Chinese, after warning about a code opened from a chat image', async () => {
      const ticket = await newTicket();
      const { page, record, shown } = openPage({ scene: ticket.ticketId }, { language: 'zh_CN', scene: 1048 });
      await until(shown, 'requester');
      expect(record.titles).toEqual(['确认登录']);
      expect(textOf(byId(shown(), 'forwarded-warning'))).toMatch(/^注意：这个码是从聊天图片或相册里识别的/);
      fire(page, 'onCancel');
      await until(shown, 'confirm-result');
      expect(byId(shown(), 'confirm-result')?.attr).toMatchObject({ 'data-outcome': 'cancelled' });
      const polled = await fetch(`${host.url}${PREFIX}/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${ticket.secret}` } });
      expect(await polled.json()).toMatchObject({ status: 'cancelled' });
      onlyPrefixAndSimulator(record);
    });

    it('says to scan the code on the web page when opened without a scene, and asks nothing', async () => {
      const { record, shown } = openPage({});
      const result = await until(shown, 'confirm-result');
      expect(result.attr).toMatchObject({ 'data-outcome': 'failed', 'data-code': 'SCENE_MISSING' });
      expect(byId(shown(), 'confirm-login')).toBeUndefined();
      expect(record.urls).toEqual([]);
    });
  });
});
