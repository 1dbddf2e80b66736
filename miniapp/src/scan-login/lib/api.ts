import { asLoginError, ClientCode, LoginError } from './login-error';
import type { LoginServer } from './login-server';
import { serverClockOffset } from './server-clock';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  data?: unknown;
  header: Record<string, string>;
}

export interface HttpResponse {
  statusCode: number;
  data: unknown;
  /** The response headers; names as the platform gives them (lower case on H5, as sent on weapp). */
  header?: Record<string, string>;
}

/**
 * Sends one request. Shaped like `Taro.request`, which resolves for every HTTP status and
 * rejects only when no answer arrived, so the status is checked here, once.
 */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** Who made the code: the web page's browser, as the server saw it. */
export interface Requester {
  ip: string;
  browser: string;
  os: string;
  createdAt: string;
}

/** Whom the server asks about the login: WeChat itself, or its built-in simulator (a demo). */
export type WeChatMode = 'simulator' | 'real';

export interface ScanResult {
  scanToken: string;
  requester: Requester;
  expiresAt: string;
  /**
   * When the ticket expires on the phone's clock (ms since the epoch): `expiresAt` moved by
   * how far the server's clock is off the phone's (server-clock.ts), so the countdown holds
   * on a phone whose clock is wrong.
   */
  deadline: number;
  site?: { name: string };
  /**
   * `simulator`: no real WeChat checks who confirms, so the page says it is a demo, and the
   * login code comes from the simulator (login-source.ts).
   */
  wechat?: WeChatMode;
}

export interface ScanInput {
  launchScene?: number;
  /** The token of this phone's earlier scan of the ticket: the owner resumes instead of being refused. */
  scanToken?: string;
}

export interface ConfirmInput {
  scanToken: string;
  code: string;
  profile?: { nickname: string };
}

/** The server's login calls, as the mini-program makes them (DESIGN.md, "The contract"). */
export class LoginApi {
  constructor(
    /** The server, and the prefix its login routes live under. */
    private readonly server: LoginServer,
    private readonly transport: Transport,
    /** The phone's clock, read around the scan to judge the server's (see ScanResult.deadline). */
    private readonly now: () => number = Date.now,
  ) {}

  async scan(ticketId: string, { launchScene, scanToken }: ScanInput = {}): Promise<ScanResult> {
    const sentAt = this.now();
    const response = await this.send('POST', `${this.ticketPath(ticketId)}/scan`, {
      ...(launchScene !== undefined && { launchScene }),
      ...(scanToken !== undefined && { scanToken }),
    });
    const offset = serverClockOffset(headerOf(response, 'date'), sentAt, this.now());
    return parseScan(response.data, offset);
  }

  async confirm(ticketId: string, input: ConfirmInput): Promise<void> {
    await this.send('POST', `${this.ticketPath(ticketId)}/confirm`, input);
  }

  async cancel(ticketId: string, scanToken: string): Promise<void> {
    await this.send('POST', `${this.ticketPath(ticketId)}/cancel`, { scanToken });
  }

  /**
   * The simulator's wx.login: a fresh code for the simulated user `user`. The simulator
   * answers at the server's root, outside the prefix (DESIGN.md, "Library").
   */
  async simulatorCode(user: string): Promise<string> {
    const { data } = await this.send('POST', '/__wechat__/sim/login', { user });
    if (!isRecord(data) || typeof data.code !== 'string' || data.code === '') {
      throw new LoginError(ClientCode.BadResponse, 'The simulator answered without a code.');
    }
    return data.code;
  }

  private ticketPath(ticketId: string): string {
    return `${this.server.prefix}/tickets/${encodeURIComponent(ticketId)}`;
  }

  /** One request; a 2xx answer, or the LoginError of any other outcome. */
  private async send(method: HttpRequest['method'], path: string, body?: unknown): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await this.transport({
        method,
        url: `${this.server.apiBase}${path}`,
        ...(body !== undefined && { data: body }),
        header: body === undefined ? {} : { 'content-type': 'application/json' },
      });
    } catch (error) {
      throw asLoginError(error, ClientCode.NetworkError);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw errorOf(response);
  }
}

/** A response header by name, whatever case the platform gives names in. */
function headerOf(response: HttpResponse, name: string): string | undefined {
  const header = response.header ?? {};
  const key = Object.keys(header).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : header[key];
}

/** The contract's `{"error": {"code", "message"}}`, or HTTP_ERROR when the body is something else. */
function errorOf(response: HttpResponse): LoginError {
  const body = response.data;
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const message = typeof body.error.message === 'string' ? body.error.message : body.error.code;
    return new LoginError(body.error.code, message, response.statusCode);
  }
  return new LoginError(ClientCode.HttpError, `HTTP ${response.statusCode}`, response.statusCode);
}

/** The scan answer, its expiry moved onto the phone's clock by `clockOffset` (server minus phone, ms). */
function parseScan(data: unknown, clockOffset: number): ScanResult {
  if (
    !isRecord(data) ||
    typeof data.scanToken !== 'string' ||
    typeof data.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(data.expiresAt)) ||
    !isRequester(data.requester)
  ) {
    throw new LoginError(ClientCode.BadResponse, 'The scan answer is not what the contract promises.');
  }
  const site = isRecord(data.site) && typeof data.site.name === 'string' ? { name: data.site.name } : undefined;
  const wechat = data.wechat === 'simulator' || data.wechat === 'real' ? data.wechat : undefined;
  return {
    scanToken: data.scanToken,
    expiresAt: data.expiresAt,
    deadline: Date.parse(data.expiresAt) - clockOffset,
    requester: data.requester,
    ...(site && { site }),
    ...(wechat && { wechat }),
  };
}

function isRequester(value: unknown): value is Requester {
  return isRecord(value) && ['ip', 'browser', 'os', 'createdAt'].every((key) => typeof value[key] === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
