import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser';
import { PhoneSide } from '../support/phone-side';
import { startTestServer, type TestServer } from '../support/test-server';
import { scanBlobCode, statusIs } from './code-on-page';
import { startHostSite, type HostSite } from './host-site';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'static-page');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
/** The login server the example's markup names; the tests put theirs in its place. */
const EXAMPLE_SERVER = 'http://localhost:3000';

/** The user behind a token of the standalone server, as the host's backend would ask. */
async function userOf(server: TestServer, token: string): Promise<string> {
  const response = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { user: { id: string } };
  return body.user.id;
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', fullPage: true });
}

describeInBrowser('the <script> drop-in on a static page of another origin', (_browser, newContext) => {
  let server: TestServer;
  let blog: HostSite;
  let stranger: HostSite;
  let forms: HostSite;
  let phone: PhoneSide;

  beforeAll(async () => {
    blog = await startHostSite(EXAMPLE);
    stranger = await startHostSite(EXAMPLE);
    forms = await startHostSite(join(__dirname, 'fixtures', 'form-post'));
    server = await startTestServer({ CORS_ORIGINS: `${blog.url},${forms.url}` });
    blog.embed(server.url, { [EXAMPLE_SERVER]: server.url });
    stranger.embed(server.url, { [EXAMPLE_SERVER]: server.url });
    forms.embed(server.url, { LOGIN_SERVER: server.url });
    phone = new PhoneSide(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([blog, stranger, forms].map((site) => site?.close()));
  });

  it('logs the blog reader in: code, scanned, then the page greets them with the token', async () => {
    const page = await (await newContext({ viewport: { width: 420, height: 900 }, locale: 'en-US' })).newPage();
    await page.goto(blog.url);
    const ticketId = await scanBlobCode(page);
    await statusIs(page, 'pending');
    // The component sits in the element's shadow root, styled there and not by the blog.
    expect(await page.locator('#login').evaluate((element) => element.shadowRoot?.adoptedStyleSheets.length)).toBe(1);
    await screenshot(page, 'static-page-pending');

    const scanToken = await phone.scan(ticketId);
    await statusIs(page, 'scanned');
    const user = await phone.confirm(ticketId, { scanToken, profile: { nickname: 'Dora' } });
    const greeting = page.locator('#greeting');
    await greeting.waitFor();
    expect(await greeting.textContent()).toBe('Welcome, Dora! You can comment now.');
    expect(await page.locator('#login').isHidden()).toBe(true);
    const token = (await page.locator('#token').textContent())!;
    expect(await userOf(server, token)).toBe(user.id);
    await screenshot(page, 'static-page-logged-in');
  });

  it("posts the token to the host as a form, with the host's hidden fields, to the server the script came from", async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto(forms.url);
    const ticketId = await scanBlobCode(page);
    // data-locale="zh-CN" wins over the browser's English.
    expect(await page.getByTestId('login-status').textContent()).toBe('请使用微信扫码登录');
    const user = await phone.confirm(ticketId);
    await page.locator('#signed-in').waitFor();
    expect(new URL(page.url()).pathname).toBe('/session');
    const [posted] = forms.posts;
    expect(posted.get('csrf')).toBe('csrf-from-the-host');
    expect(await userOf(server, posted.get('code')!)).toBe(user.id);
  });

  it('is refused on an origin the server does not list: no ticket, and the page says it cannot reach the server', async () => {
    const create = jest.spyOn(server.service, 'create');
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto(stranger.url);
    const error = page.getByTestId('login-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-code')).toBe('NETWORK_ERROR');
    await statusIs(page, 'error');
    expect(await page.locator('#greeting').isHidden()).toBe(true);
    expect(create).not.toHaveBeenCalled();
    create.mockRestore();
  });
});
