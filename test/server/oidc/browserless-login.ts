import { PhoneSide } from '../../support/phone-side';

/**
 * A browser without a screen, for provider tests that are not about the page: it keeps
 * cookies per path as a browser would, follows the authorization to the interaction,
 * runs the page's calls (ticket, poll, login, and Allow when the site asks for consent)
 * and stops at the relying party's redirect URI, returning the URL it was sent to.
 */
export class BrowserlessLogin {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(
    private readonly serverUrl: string,
    private readonly publicUrl: string,
  ) {}

  async logIn(authorizationUrl: string, user: string): Promise<string> {
    const interaction = await this.redirect(authorizationUrl);
    const ticket = await this.json(`${interaction}/tickets`, {});
    await new PhoneSide(this.serverUrl).confirm(ticket.ticketId, { user, profile: { nickname: user } });
    const poll = await fetch(`${this.serverUrl}/api/login/tickets/${ticket.ticketId}`, {
      headers: { authorization: `Bearer ${ticket.secret}` },
    });
    const { token } = await poll.json();
    const { redirectTo } = await this.json(`${interaction}/login`, { token });
    const next = await this.redirect(redirectTo);
    if (!this.isInteraction(next)) return next;
    // A site that is not first-party asks for consent in a second interaction: Allow.
    const consent = await this.json(`${next}/consent`, {});
    return this.redirect(consent.redirectTo);
  }

  private isInteraction(url: string): boolean {
    return url.startsWith(`${this.publicUrl}/oidc/interaction/`);
  }

  /** GET with this browser's cookies; the Location it is redirected to, absolute. */
  private async redirect(url: string): Promise<string> {
    const response = await fetch(this.local(url), { redirect: 'manual', headers: this.cookieHeader(url) });
    this.remember(response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
    return new URL(location, this.publicUrl).href;
  }

  private async json(url: string, body: object): Promise<Record<string, string>> {
    const response = await fetch(this.local(url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.cookieHeader(url) },
      body: JSON.stringify(body),
    });
    this.remember(response);
    if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  /** The public URL's host may not resolve here the way the browser's does: go to the server. */
  private local(url: string): string {
    return url.replace(this.publicUrl, this.serverUrl);
  }

  private cookieHeader(url: string): Record<string, string> {
    const path = new URL(url).pathname;
    const sent = [...this.cookies].filter(([, cookie]) => path.startsWith(cookie.path)).map(([name, c]) => `${name}=${c.value}`);
    return sent.length > 0 ? { cookie: sent.join('; ') } : {};
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const [name, value] = pair.split('=');
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      if (value === '' || attributes.some((a) => /^expires=thu, 01 jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }
}
