import type { Page } from 'playwright-core';
import { describeInBrowser, type NewContext } from '../support/browser';
import { PhoneSide } from '../support/phone-side';
import { startTestServer, type TestServer } from '../support/test-server';
import { scanCode } from './code-on-page';
import { RelyingParty } from './relying-party';

/**
 * "Log in with WeChat mini-program" at a relying party written on openid-client: the
 * browser is sent to authorize, the interaction page shows the code with the site's
 * name, the phone confirms, the same browser lands on the relying party's redirect URI
 * with a code, which the relying party exchanges (PKCE) for tokens it verifies.
 */
describeInBrowser('the OpenID Connect provider, with openid-client relying parties', (_browser, newContext) => {
  let server: TestServer;
  let shop: RelyingParty;
  let spa: RelyingParty;
  let partner: RelyingParty;
  let phone: PhoneSide;

  beforeAll(async () => {
    shop = await RelyingParty.listen('shop', 'shop-secret-that-is-long-enough-0123456789');
    spa = await RelyingParty.listen('spa');
    partner = await RelyingParty.listen('partner', 'partner-secret-that-is-long-enough-0123456789');
    const clients = [
      { ...shop.registration, client_name: 'Example Shop' },
      { ...spa.registration, client_name: 'Example SPA' },
      { ...partner.registration, client_name: 'Partner Site', first_party: false },
    ];
    server = await startTestServer({ OIDC_CLIENTS: JSON.stringify(clients) });
    await shop.discover(`${server.publicUrl}/oidc`);
    await spa.discover(`${server.publicUrl}/oidc`);
    await partner.discover(`${server.publicUrl}/oidc`);
    phone = new PhoneSide(server.url);
  });

  afterAll(async () => {
    await server?.close();
    await shop?.close();
    await spa?.close();
    await partner?.close();
  });

  async function landing(page: Page, rp: RelyingParty): Promise<string> {
    await page.waitForURL((url) => url.href.startsWith(rp.redirectUri), { timeout: 10_000 });
    return page.url();
  }

  async function logIn(rp: RelyingParty, user: string, open: NewContext = newContext) {
    const page = await (await open({ locale: 'en-US' })).newPage();
    const request = await rp.authorization();
    await page.goto(request.url);
    const { ticketId } = await scanCode(page);
    await phone.confirm(ticketId, { user, profile: { nickname: user } });
    return { page, request, callback: await landing(page, rp) };
  }

  it('logs a confidential client in: code and state on its redirect URI, tokens verified against the JWKS, userinfo', async () => {
    const { page, request, callback } = await logIn(shop, 'alice');
    const params = new URL(callback).searchParams;
    expect(params.get('state')).toBe(request.state);
    expect(params.get('code')).toBeTruthy();
    const tokens = await shop.exchange(callback, request);
    const claims = await shop.verifyIdToken(tokens.id_token!);
    expect(claims).toMatchObject({ nonce: request.nonce, nickname: 'alice', aud: 'shop' });
    expect(await shop.userinfo(tokens.access_token, String(claims.sub))).toMatchObject({ sub: claims.sub, nickname: 'alice' });
    await page.close();
  });

  it('logs out at the provider when the relying party asks (RP-initiated logout), back to its post-logout URI', async () => {
    const { page, request, callback } = await logIn(shop, 'hank');
    const tokens = await shop.exchange(callback, request);
    await page.goto(shop.endSessionUrl(tokens.id_token!));
    await page.getByTestId('oidc-logout-yes').click();
    await page.waitForURL((url) => url.href.startsWith(shop.postLogoutRedirectUri), { timeout: 10_000 });
    // The provider's session is gone: the next authorization asks for a scan again.
    await page.goto((await shop.authorization()).url);
    await scanCode(page);
  });

  it('names the requesting site on the page and to the phone', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto((await shop.authorization()).url);
    await expect(page.getByTestId('oidc-client-name').textContent()).resolves.toBe('Example Shop');
    const { ticketId } = await scanCode(page);
    const scan = await fetch(`${server.url}/api/login/tickets/${ticketId}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await scan.json()).site).toEqual({ name: 'Example Shop' });
    await page.close();
  });

  it('logs a public client in with PKCE, and gives the same user the same sub', async () => {
    const first = await logIn(spa, 'bob');
    const tokens = await spa.exchange(first.callback, first.request);
    const second = await logIn(spa, 'bob');
    const again = await spa.exchange(second.callback, second.request);
    expect((await spa.verifyIdToken(again.id_token!)).sub).toBe((await spa.verifyIdToken(tokens.id_token!)).sub);
  });

  it('refuses a code used twice with invalid_grant', async () => {
    const { callback, request } = await logIn(shop, 'carol');
    await shop.exchange(callback, request);
    await expect(shop.exchange(callback, request)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('ends the authorization with access_denied when the phone cancels', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    const request = await shop.authorization();
    await page.goto(request.url);
    const { ticketId } = await scanCode(page);
    await phone.cancel(ticketId);
    const callback = await landing(page, shop);
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    await expect(shop.exchange(callback, request)).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('asks for consent for a site that is not first-party: Allow logs it in with the profile', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    const request = await partner.authorization();
    await page.goto(request.url);
    const { ticketId } = await scanCode(page);
    await phone.confirm(ticketId, { user: 'dora', profile: { nickname: 'dora' } });
    await page.getByTestId('oidc-consent-allow').click();
    const tokens = await partner.exchange(await landing(page, partner), request);
    expect(await partner.verifyIdToken(tokens.id_token!)).toMatchObject({ nickname: 'dora', aud: 'partner' });
  });

  it('ends the authorization with access_denied when the user denies consent', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    const request = await partner.authorization();
    await page.goto(request.url);
    const { ticketId } = await scanCode(page);
    await phone.confirm(ticketId, { user: 'erin' });
    await page.getByTestId('oidc-consent-deny').click();
    expect(new URL(await landing(page, partner)).searchParams.get('error')).toBe('access_denied');
  });

  it('refuses a ticket or a login for an interaction from a browser without its interaction cookie', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    await page.goto((await shop.authorization()).url);
    const uid = new URL(page.url()).pathname.split('/').pop();
    // No interaction cookie: a scene, a ticket of its own, nothing finishes someone else's.
    const tickets = await fetch(`${server.url}/oidc/interaction/${uid}/tickets`, { method: 'POST', body: '{}' });
    expect(tickets.status).toBe(404);
    const login = await fetch(`${server.url}/oidc/interaction/${uid}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'x.y' }),
    });
    expect((await login.json()).error.code).toBe('INTERACTION_NOT_FOUND');
  });

  it('shows an unknown redirect_uri as an error page and never redirects there', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    const request = await shop.authorization({ redirect_uri: 'https://evil.example/cb' });
    const response = await page.goto(request.url);
    expect(response?.status()).toBe(400);
    expect(page.url()).toContain('/oidc/auth');
    await expect(page.getByTestId('oidc-error-code').textContent()).resolves.toBe('invalid_redirect_uri');
  });
});

describeInBrowser('the OpenID Connect interaction, when its code expires', (_browser, newContext) => {
  let server: TestServer;
  let shop: RelyingParty;

  beforeAll(async () => {
    shop = await RelyingParty.listen('shop', 'shop-secret-that-is-long-enough-0123456789');
    server = await startTestServer({ OIDC_CLIENTS: JSON.stringify([shop.registration]), TICKET_TTL_SECONDS: '2' });
    await shop.discover(`${server.publicUrl}/oidc`);
  });

  afterAll(async () => {
    await server?.close();
    await shop?.close();
  });

  it('offers a fresh code inside the same interaction, which then logs in', async () => {
    const page = await (await newContext({ locale: 'en-US' })).newPage();
    const request = await shop.authorization();
    await page.goto(request.url);
    const interaction = page.url();
    const first = await scanCode(page);
    await page.locator('[data-testid="login-status"][data-status="expired"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="login-status"][data-status="pending"]').waitFor({ timeout: 10_000 });
    const fresh = await scanCode(page);
    expect(fresh.ticketId).not.toBe(first.ticketId);
    expect(page.url()).toBe(interaction);
    await new PhoneSide(server.url).confirm(fresh.ticketId, { user: 'frank' });
    await page.waitForURL((url) => url.href.startsWith(shop.redirectUri), { timeout: 10_000 });
    const tokens = await shop.exchange(page.url(), request);
    expect((await shop.verifyIdToken(tokens.id_token!)).sub).toEqual(expect.any(String));
  });
});
