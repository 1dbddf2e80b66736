export interface ConfirmOptions {
  user?: string;
  scanToken?: string;
  profile?: { nickname?: string; avatarUrl?: string };
}

/**
 * What the mini-program does on the phone, as the contract's HTTP calls: scan the code,
 * get a code from the simulator's wx.login, confirm or cancel.
 */
export class PhoneSide {
  /** `prefix` is where the login routes live: '/api/login' standalone, the host's choice in the library. */
  constructor(
    private readonly serverUrl: string,
    private readonly prefix = '/api/login',
  ) {}

  /** POST .../scan: the first scanner owns the ticket; returns the scan token. */
  async scan(ticketId: string): Promise<string> {
    const body = await this.post(`${this.prefix}/tickets/${ticketId}/scan`, {});
    return String(body.scanToken);
  }

  /**
   * Scans (unless given the scan token of an earlier scan), logs in as the simulated
   * WeChat user `user` (default 'alice') and confirms; returns the logged-in user.
   */
  async confirm(ticketId: string, options: ConfirmOptions = {}): Promise<Record<string, unknown>> {
    const scanToken = options.scanToken ?? (await this.scan(ticketId));
    const { code } = await this.post('/__wechat__/sim/login', { user: options.user ?? 'alice' });
    const body = await this.post(`${this.prefix}/tickets/${ticketId}/confirm`, { scanToken, code, profile: options.profile });
    return body.user as Record<string, unknown>;
  }

  async cancel(ticketId: string, scanToken?: string): Promise<void> {
    const token = scanToken ?? (await this.scan(ticketId));
    await this.post(`${this.prefix}/tickets/${ticketId}/cancel`, { scanToken: token });
  }

  private async post(path: string, body: object): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.serverUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  }
}
