import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { isStale, MINIAPP_H5_BUILD } from '../../server/build/front-end-builds';
import { buildMiniapp } from '../miniapp/support/taro-build';
import { describeInBrowser } from '../support/browser';
import { decodeQr } from '../support/qr';
import type { RunningSimulator } from '../../server/wechat/simulator/simulator-server';
import { startTestServer, startTestSimulator, type TestServer } from '../support/test-server';

const ROOT = join(__dirname, '..', '..');
const BUILD_TIMEOUT_MS = 300_000;
/** The browser that "made the code", as the server reports it to the phone. */
const DESKTOP_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Ticket {
  ticketId: string;
  secret: string;
  expiresAt: string;
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

  async function call(path: string, init: RequestInit = {}, on = server): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${on.url}${path}`, init);
    return { status: response.status, body: (await response.json()) as Json };
  }

  /** A ticket as the web page gets it, and the URL in its code image. */
  async function newTicket(on = server): Promise<Ticket> {
    const created = await call('/api/login/tickets', { method: 'POST', headers: { 'user-agent': DESKTOP_UA } }, on);
    expect(created.status).toBe(201);
    type Created = Record<'ticketId' | 'secret' | 'qrcodeUrl' | 'expiresAt', string>;
    const { ticketId, secret, qrcodeUrl, expiresAt } = created.body as Created;
    const image = await fetch(`${on.url}${qrcodeUrl}`);
    expect(image.headers.get('content-type')).toMatch(/^image\//);
    return { ticketId, secret, expiresAt, codeUrl: decodeQr(Buffer.from(await image.arrayBuffer())) };
  }

  /** Polls as the web page's fallback does, until `done` holds. */
  async function pollUntil(ticket: Ticket, done: (body: Json) => boolean, timeoutMs = 8000, on = server): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await call(
        `/api/login/tickets/${ticket.ticketId}`,
        { headers: { authorization: `Bearer ${ticket.secret}` } },
        on,
      );
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

  /**
   * Presses Tab until the focus is in `selector` (an input's focus is on the <input> inside
   * Taro's element), as a keyboard user gets there.
   */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let presses = 0; presses < 20; presses += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((within) => document.activeElement?.closest(within) != null, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  /** The URLs of the requests a page sends from now on. */
  function requestsOf(page: Page): string[] {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    return urls;
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
    // And where the login code comes from, next to the simulated user it is for.
    expect(await page.locator('#sim-user #sim-login-notice').textContent()).toContain(
      '"Confirm" gets its login code from the simulator instead of wx.login',
    );
    await page.locator('#confirm-login').click();
    await outcome(page, 'confirmed');
    expect(await notice.isVisible()).toBe(true);
  });

  it('says it in Chinese to a Chinese phone', async () => {
    const zh = await newContext({ viewport: { width: 375, height: 667 }, locale: 'zh-CN' });
    const page = await openCode(await newTicket(), zh);
    expect(await page.locator('#simulator-notice').textContent()).toMatch(/^微信为模拟环境——仅供演示/);
    expect(await page.locator('#sim-login-notice').textContent()).toContain('登录凭证由模拟器提供');
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
    // Another phone: this browser's own second tab would hold the scan token and resume.
    const otherPhone = await newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
    const second = await otherPhone.newPage();
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
    const error = page.locator('#confirm-error[data-code="WECHAT_CODE_INVALID"]');
    await error.waitFor();
    // The hint names the button on screen that tries again.
    expect(await error.textContent()).toContain('tap "Confirm" again');
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

  it('resumes its scan after a reload, and the confirm still logs the ticket in', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    await page.reload();
    await page.locator('#requester').waitFor();
    // The same view with working buttons, not "someone has already scanned this code".
    expect(await page.locator('#confirm-result').count()).toBe(0);
    await page.locator('#confirm-login').click();
    await outcome(page, 'confirmed');
    const confirmed = await pollUntil(ticket, (body) => body.status === 'confirmed');
    expect(confirmed.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('after a reload during a slow confirm, says that confirm is under way, and that confirm still logs in', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    server.simulator.injectFault({ api: 'jscode2session', delayMs: 3000 });
    const calls = server.simulator.callCount('jscode2session');
    await page.locator('#confirm-login').click();
    // The server has reserved the ticket and waits for WeChat; the page goes before the answer.
    while (server.simulator.callCount('jscode2session') === calls) await page.waitForTimeout(20);
    await page.reload();
    await page.locator('#requester').waitFor();
    await page.locator('#confirm-login').click();
    const error = page.locator('#confirm-error[data-code="TICKET_CONFIRMING"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^This login is being confirmed already.*tap "Confirm" again\.$/);
    expect((await pollUntil(ticket, (body) => body.status === 'confirmed')).token).toEqual(expect.any(String));
  });

  it('counts down and says "expired" by itself when the time runs out, its buttons then disabled', async () => {
    const short = await startTestServer({ TICKET_TTL_SECONDS: '5' });
    try {
      const ticket = await newTicket(short);
      const page = await openCode(ticket);
      const timeLeft = page.locator('#time-left');
      expect(await timeLeft.getAttribute('data-state')).toBe('counting');
      expect(await timeLeft.textContent()).toMatch(/^The code expires in 0:0[1-5]$/);

      await page.locator('#time-left[data-state="expired"]').waitFor({ timeout: 8000 });
      const shownAt = Date.now();
      // At the ticket's expiry (one clock here), not at the next tap or poll.
      expect(shownAt).toBeGreaterThanOrEqual(Date.parse(ticket.expiresAt) - 100);
      expect(shownAt).toBeLessThan(Date.parse(ticket.expiresAt) + 1500);
      expect(await timeLeft.textContent()).toBe('This code has expiredRefresh the code on your computer and scan it again.');
      expect(await timeLeft.getAttribute('role')).toBe('alert');
      for (const name of ['Confirm', 'Cancel']) {
        expect(await page.getByRole('button', { name, exact: true, disabled: true }).count()).toBe(1);
      }

      // A tap now sends nothing.
      const requests = requestsOf(page);
      await page.locator('#confirm-login').click({ force: true });
      await page.locator('#cancel-login').click({ force: true });
      await page.waitForTimeout(300);
      expect(requests).toEqual([]);
      expect((await pollUntil(ticket, (body) => body.status !== 'scanned', 4000, short)).status).toBe('expired');
    } finally {
      await short.close();
    }
  });

  it('confirms with the keyboard alone: Tab to the nickname and type, Tab to the labelled Confirm button, Enter', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    // A real button to assistive technology, named by its text.
    expect(await page.getByRole('button', { name: 'Confirm', exact: true }).getAttribute('id')).toBe('confirm-login');

    await tabTo(page, '#nickname');
    await page.keyboard.type('Kay');
    await tabTo(page, '#confirm-login');
    // Where the focus is shows.
    expect(await page.locator('#confirm-login').evaluate((button) => getComputedStyle(button).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await outcome(page, 'confirmed');
    // The focus moves to the outcome that replaced the button, not back to the top.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-result');
    const confirmed = await pollUntil(ticket, (body) => body.status === 'confirmed');
    expect(confirmed).toMatchObject({ token: expect.any(String), user: { nickname: 'Kay' } });
  });

  it('cancels with the keyboard alone: Tab to Cancel, Space', async () => {
    const ticket = await newTicket();
    const page = await openCode(ticket);
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).getAttribute('id')).toBe('cancel-login');
    await tabTo(page, '#cancel-login');
    await page.keyboard.press('Space');
    await outcome(page, 'cancelled');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-result');
    expect((await pollUntil(ticket, (body) => body.status !== 'scanned')).status).toBe('cancelled');
  });

  it.each([
    ['en-US', 'en', 'Confirm login', 'Scan to log in'],
    ['zh-CN', 'zh-CN', '确认登录', '扫码登录'],
  ])('speaks the phone language %s in <html lang> and the title', async (locale, lang, confirmTitle, homeTitle) => {
    const phone = await newContext({ viewport: { width: 375, height: 667 }, locale });
    const page = await openCode(await newTicket(), phone);
    const language = () => page.evaluate(() => [document.documentElement.lang, document.title]);
    expect(await language()).toEqual([lang, confirmTitle]);
    await page.goto(`${server.url}/miniapp/`);
    await page.locator('#home').waitFor();
    expect(await language()).toEqual([lang, homeTitle]);
  });

  describe('on an instance that shares one simulator (npm run simulator)', () => {
    let wechat: RunningSimulator;
    let instance: TestServer;
    beforeAll(async () => {
      wechat = await startTestSimulator();
      instance = await startTestServer({ WECHAT_API_BASE: wechat.apiBase });
    });
    afterAll(async () => {
      await instance?.close();
      await wechat?.close();
    });

    it("gets the phone's login code through the instance that served the page, and confirms", async () => {
      const ticket = await newTicket(instance);
      const page = await context.newPage();
      await page.goto(`${instance.url}/miniapp/#/pages/confirm/index?scene=${ticket.ticketId}`);
      await page.locator('#requester').waitFor();
      const exchanges = wechat.simulator.callCount('jscode2session');
      await page.locator('#confirm-login').click();
      await outcome(page, 'confirmed');
      expect(wechat.simulator.callCount('jscode2session') - exchanges).toBe(1);
      expect((await pollUntil(ticket, (body) => body.status === 'confirmed', 8000, instance)).token).toEqual(expect.any(String));
    });
  });
});
