import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser';
import { decodeQr } from '../support/qr';
import { startTestServer, type TestServer } from '../support/test-server';
import { PhoneSide } from '../support/phone-side';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const README_SHOTS = join(ROOT, 'docs', 'screenshots');
const MINIAPP_H5 = join(ROOT, 'miniapp', 'dist', 'h5', 'index.html');
const SCENE_URL = /#\/pages\/confirm\/index\?scene=([0-9A-Za-z]{22})$/;

/**
 * Saves the page as `name`.png under the test output; with UPDATE_SCREENSHOTS=1 also as
 * README's picture (so an ordinary test run leaves the work tree clean).
 */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(README_SHOTS, `${name}.png`));
}

function status(page: Page, value: string) {
  return page.locator(`[data-testid="login-status"][data-status="${value}"]`).waitFor({ timeout: 8000 });
}

/** Waits for the code image to load and returns the ticket id read from its QR text. */
async function scanCode(page: Page): Promise<{ ticketId: string; url: string }> {
  const image = page.getByTestId('login-qrcode');
  await image.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="login-qrcode"]');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  const url = decodeQr(await image.screenshot());
  const match = SCENE_URL.exec(url);
  if (!match) throw new Error(`unexpected QR text: ${url}`);
  return { ticketId: match[1], url };
}

describeInBrowser('the web login page', (_browser, newContext) => {
  let server: TestServer;
  let phone: PhoneSide;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer();
    phone = new PhoneSide(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    context = await newContext({ viewport: { width: 420, height: 640 }, locale: 'en-US' });
  });

  it('logs in without a reload once the code is scanned and confirmed', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const { ticketId } = await scanCode(page);
    await status(page, 'pending');
    expect(await page.getByTestId('login-qrcode').getAttribute('alt')).toMatch(/scan/i);
    expect(await page.getByTestId('login-countdown').textContent()).toMatch(/expires in [12]:\d\d/);
    await screenshot(page, 'pending');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    const scanToken = await phone.scan(ticketId);
    await status(page, 'scanned');
    expect(await page.getByTestId('login-status').textContent()).toBe('Scanned — confirm on your phone');
    await screenshot(page, 'scanned');

    const user = await phone.confirm(ticketId, { scanToken, profile: { nickname: 'Alice' } });
    const loggedIn = page.getByTestId('logged-in');
    await loggedIn.waitFor();
    expect(await loggedIn.getAttribute('data-user-id')).toBe(user.id);
    expect(await page.getByTestId('logged-in-nickname').textContent()).toBe('Alice');
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('mp-scan-login.token'))).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await screenshot(page, 'logged-in');

    await page.reload();
    await loggedIn.waitFor();
    await page.getByTestId('logout').click();
    await scanCode(page);
    expect(await page.evaluate(() => sessionStorage.getItem('mp-scan-login.token'))).toBeNull();
  });

  (existsSync(MINIAPP_H5) ? it : it.skip)('logs in when the mini-program H5 build confirms on a second page', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const { url } = await scanCode(page);
    const phonePage = await (await newContext({ viewport: { width: 375, height: 667 } })).newPage();
    await phonePage.goto(url);
    await status(page, 'scanned');
    await phonePage.locator('#confirm-login').click();
    await page.getByTestId('logged-in').waitFor();
  });

  it('says clearly, in the language of the page, that WeChat is simulated', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    await scanCode(page);
    const notice = page.getByTestId('simulator-notice');
    const box = await notice.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 640).toBe(true);
    expect(await notice.textContent()).toMatch(/^WeChat is simulated — demo only/);
    expect(await page.getByRole('complementary', { name: 'WeChat is simulated — demo only' }).count()).toBe(1);
    await page.getByTestId('language-switch').click();
    expect(await notice.textContent()).toMatch(/^微信为模拟环境——仅供演示/);
  });

  it('links to the phone page of the code on screen, and of the new code after a refresh', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const first = await scanCode(page);
    const link = page.getByTestId('simulator-phone-link');
    expect([await link.getAttribute('href'), await link.getAttribute('target')]).toEqual([first.url, '_blank']);
    await phone.cancel(first.ticketId);
    await status(page, 'cancelled');
    expect(await link.count()).toBe(0);
    await page.getByTestId('login-refresh').click();
    const second = await scanCode(page);
    expect(second.url).not.toBe(first.url);
    expect(await link.getAttribute('href')).toBe(second.url);
  });

  (existsSync(MINIAPP_H5) ? it : it.skip)('logs in when the phone page opened by the link confirms', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const { ticketId } = await scanCode(page);
    const [phonePage] = await Promise.all([context.waitForEvent('page'), page.getByTestId('simulator-phone-link').click()]);
    await phonePage.locator('#requester').waitFor();
    expect(phonePage.url()).toMatch(new RegExp(`#/pages/confirm/index\\?scene=${ticketId}$`));
    await status(page, 'scanned');
    await phonePage.locator('#simulator-notice').waitFor();
    await phonePage.locator('#confirm-login').click();
    await phonePage.locator('#confirm-result[data-outcome="confirmed"]').waitFor();
    await page.getByTestId('logged-in').waitFor();

    // Still a demo account once logged in, also after a reload (no ticket then: /healthz says it).
    await page.getByTestId('simulator-notice').waitFor();
    expect(await page.getByTestId('simulator-phone-link').count()).toBe(0);
    await page.reload();
    await page.getByTestId('logged-in').waitFor();
    await page.getByTestId('simulator-notice').waitFor();
  });

  it('still logs in by polling when the WebSocket is blocked', async () => {
    const page = await context.newPage();
    let attempts = 0;
    await page.routeWebSocket(/\/api\/login\/ws$/, (ws) => {
      attempts += 1;
      void ws.close();
    });
    await page.goto(server.url);
    const { ticketId } = await scanCode(page);
    await phone.confirm(ticketId, { user: 'bob' });
    await page.getByTestId('logged-in').waitFor();
    expect(attempts).toBe(3);
  });

  it('shows the cancelled overlay when the phone cancels, and a fresh code on one click', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const { ticketId } = await scanCode(page);
    await phone.cancel(ticketId);
    await status(page, 'cancelled');
    await screenshot(page, 'cancelled');
    await page.getByTestId('login-refresh').click();
    await status(page, 'pending');
    expect((await scanCode(page)).ticketId).not.toBe(ticketId);
  });

  it('loads the code once more when its first load failed in passing', async () => {
    const page = await context.newPage();
    let failures = 0;
    await page.route('**/api/login/tickets/*/qrcode', (route) =>
      failures++ === 0 ? route.abort('connectionreset') : route.continue(),
    );
    await page.goto(server.url);
    await scanCode(page);
    await status(page, 'pending');
    expect(failures).toBeGreaterThan(1);
  });

  it('says WeChat is failing and offers a retry that brings a code', async () => {
    // Once: the server remembers a failed code for a few seconds, so the page's second look
    // at why the image failed reads the same error without asking WeChat again.
    server.simulator.injectFault({ api: 'getwxacodeunlimit', errcode: 45009 });
    const page = await context.newPage();
    await page.goto(server.url);
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('WECHAT_QUOTA_EXCEEDED');
    expect(await error.textContent()).toMatch(/WeChat is not answering/);
    await status(page, 'error');
    await screenshot(page, 'error');
    await page.getByTestId('login-retry').click();
    await scanCode(page);
    await status(page, 'pending');
  });

  it('says the server cannot be reached, and recovers on retry', async () => {
    const page = await context.newPage();
    await page.route('**/api/login/tickets', (route) => route.abort('connectionrefused'));
    await page.goto(server.url);
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('NETWORK_ERROR');
    await page.unroute('**/api/login/tickets');
    await page.getByTestId('login-retry').click();
    await scanCode(page);
  });

  it('speaks Chinese to a Chinese browser on a phone-width screen, and switches language on request', async () => {
    const zh = await newContext({ viewport: { width: 320, height: 568 }, locale: 'zh-CN' });
    const page = await zh.newPage();
    await page.goto(server.url);
    await scanCode(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(320);
    expect(await page.getByTestId('login-status').textContent()).toBe('请使用微信扫码登录');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(page, 'pending-zh');
    await page.getByTestId('language-switch').click();
    expect(await page.getByTestId('login-status').textContent()).toBe('Scan the code with WeChat to log in');
  });
});

describeInBrowser('the web login page with 3-second codes', (_browser, newContext) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TICKET_TTL_SECONDS: '3' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows expired, then a fresh code by itself', async () => {
    const context = await newContext({ viewport: { width: 420, height: 640 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(server.url);
    const first = await scanCode(page);
    await status(page, 'expired');
    await page.getByTestId('login-refresh').waitFor();
    await screenshot(page, 'expired');
    await status(page, 'pending');
    expect((await scanCode(page)).ticketId).not.toBe(first.ticketId);
  });
});

describeInBrowser('the web login page over its rate limit', (_browser, newContext) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says so, instead of showing no code', async () => {
    const context = await newContext({ viewport: { width: 420, height: 640 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(server.url);
    await scanCode(page);
    await page.reload();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('RATE_LIMITED');
    expect(await error.textContent()).toMatch(/Too many attempts/);
  });
});
