import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { isStale, MINIAPP_H5_BUILD } from '../../server/build/front-end-builds';
import { buildMiniapp } from '../miniapp/support/taro-build';
import { describeInBrowser } from '../support/browser';
import { decodeQr } from '../support/qr';
import { startTestServer, type TestServer } from '../support/test-server';

const ROOT = join(__dirname, '..', '..');
const BUILD_TIMEOUT_MS = 300_000;
/** The browser that "made the code", as the server reports it to the phone. */
const DESKTOP_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Ticket {
  ticketId: string;
  secret: string;
  /** The text of the code image, read by a QR decoder as a phone camera would. */
  codeUrl: string;
}

type Json = Record<string, unknown>;

describeInBrowser('the mini-program confirm page (H5 build, simulator)', (_browser, newContext) => {
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    // The server serves miniapp/dist/h5; build it as `npm start` would when it is missing or stale.
    if (isStale(MINIAPP_H5_BUILD, ROOT)) await buildMiniapp('h5', join(ROOT, 'miniapp', 'dist', 'h5'));
    server = await startTestServer();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    context = await newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
  });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${server.url}${path}`, init);
    return { status: response.status, body: (await response.json()) as Json };
  }

  /** A ticket as the web page gets it, and the URL in its code image. */
  async function newTicket(): Promise<Ticket> {
    const created = await call('/api/login/tickets', { method: 'POST', headers: { 'user-agent': DESKTOP_UA } });
    expect(created.status).toBe(201);
    const { ticketId, secret, qrcodeUrl } = created.body as { ticketId: string; secret: string; qrcodeUrl: string };
    const image = await fetch(`${server.url}${qrcodeUrl}`);
    expect(image.headers.get('content-type')).toMatch(/^image\//);
    return { ticketId, secret, codeUrl: decodeQr(Buffer.from(await image.arrayBuffer())) };
  }

  /** Polls as the web page's fallback does, until `done` holds. */
  async function pollUntil(ticket: Ticket, done: (body: Json) => boolean, timeoutMs = 8000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await call(`/api/login/tickets/${ticket.ticketId}`, {
        headers: { authorization: `Bearer ${ticket.secret}` },
      });
      if (done(body)) return body;
      if (Date.now() > deadline) throw new Error(`ticket never got there; last answer ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function openCode(ticket: Ticket, on = context): Promise<Page> {
    const page = await on.newPage();
    await page.goto(ticket.codeUrl);
    await page.locator('#requester').waitFor();
    return page;
  }

  function outcome(page: Page, value: string) {
    return page.locator(`#confirm-result[data-outcome="${value}"]`).waitFor({ timeout: 8000 });
  }

  it('opens from the code image, confirms on #confirm-login, and the web page receives a working token', async () => {
    const ticket = await newTicket();
    expect(ticket.codeUrl).toMatch(new RegExp(`/miniapp/#/pages/confirm/index\\?scene=${ticket.ticketId}$`));
    const page = await openCode(ticket);
    expect(await page.locator('#requester').textContent()).toMatch(/Chrome 131[\s\S]*Mac OS/);
    await page.locator('#nickname input').fill('Ann');

    // A double tap confirms once: a second confirm would be answered 409 and turn the outcome to failed.
    await page.locator('#confirm-login').dblclick();
    await outcome(page, 'confirmed');
    expect(await page.locator('#confirm-result').textContent()).toContain('Logged in on your computer');

    const confirmed = await pollUntil(ticket, (body) => body.status === 'confirmed');
    expect(confirmed.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await call('/api/me', { headers: { authorization: `Bearer ${String(confirmed.token)}` } });
    expect(me.body.user).toMatchObject({ id: (confirmed.user as Json).id, nickname: 'Ann' });
    expect(await page.locator('#confirm-result').getAttribute('data-outcome')).toBe('confirmed');
  });

  it('says that WeChat is simulated, as the scan answer does, until the end of the flow', async () => {
    const page = await openCode(await newTicket());
    const notice = page.locator('#simulator-notice');
    expect(await notice.textContent()).toMatch(/^WeChat is simulated — demo only/);
    expect(await notice.getAttribute('role')).toBe('note');
    await page.locator('#confirm-login').click();
    await outcome(page, 'confirmed');
    expect(await notice.isVisible()).toBe(true);
  });

  it('says it in Chinese to a Chinese phone', async () => {
    const zh = await newContext({ viewport: { width: 375, height: 667 }, locale: 'zh-CN' });
    const page = await openCode(await newTicket(), zh);
    expect(await page.locator('#simulator-notice').textContent()).toMatch(/^微信为模拟环境——仅供演示/);
  });

  it('cancels on #cancel-login, and the ticket is cancelled', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    await page.locator('#cancel-login').click();
    await outcome(page, 'cancelled');
    expect((await pollUntil(ticket, (body) => body.status !== 'scanned')).status).toBe('cancelled');
  });

  it('tells a second scanner that the code is taken, with no buttons to press', async () => {
    const ticket = await newTicket();
    await openCode(ticket);
    const second = await context.newPage();
    await second.goto(ticket.codeUrl);
    await outcome(second, 'failed');
    expect(await second.locator('#confirm-result').getAttribute('data-code')).toBe('TICKET_ALREADY_SCANNED');
    expect(await second.locator('#confirm-login').count()).toBe(0);
  });

  it('keeps the buttons after WeChat refuses the login code, and a second tap logs in with a new code', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    server.simulator.injectFault({ api: 'jscode2session', errcode: 40029 });
    await page.locator('#confirm-login').click();
    await page.locator('#confirm-error[data-code="WECHAT_CODE_INVALID"]').waitFor();
    await page.locator('#confirm-login').click();
    await outcome(page, 'confirmed');
    expect((await pollUntil(ticket, (body) => body.status === 'confirmed')).token).toEqual(expect.any(String));
  });

  it('logs in as the simulated user named on the page, one WeChat user per name', async () => {
    const userOf = async (name?: string): Promise<unknown> => {
      const ticket = await newTicket();
      const page = await openCode(ticket);
      if (name) {
        await page.locator('#sim-user-input input').fill(name);
        await page.locator('#sim-user-save').click();
        await page.locator('#sim-user-name', { hasText: name }).waitFor();
      }
      await page.locator('#confirm-login').click();
      await outcome(page, 'confirmed');
      return ((await pollUntil(ticket, (body) => body.status === 'confirmed')).user as Json).id;
    };
    const alice = await userOf();
    const bob = await userOf('bob');
    expect(bob).not.toBe(alice);
    // The name stays in local storage: the next scan in this browser is bob again.
    expect(await userOf()).toBe(bob);
  });
});
