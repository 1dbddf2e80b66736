import { asLoginError, ClientCode, LoginError } from './login-error';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  data?: unknown;
  header: Record<string, string>;
}

export interface HttpResponse {
  statusCode: number;
  data: unknown;
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
  site?: { name: string };
  /** `simulator`: no real WeChat checks who confirms, so the page says it is a demo. */
  wechat?: WeChatMode;
}

export interface ConfirmInput {
  scanToken: string;
  code: string;
  profile?: { nickname: string };
}

/** The server's login calls, as the mini-program makes them (DESIGN.md, "The contract"). */
export class LoginApi {
  constructor(
    /** Scheme and host, or '' for the page's own origin (the H5 build). */
    private readonly base: string,
    private readonly transport: Transport,
  ) {}

  async scan(ticketId: string, launchScene?: number): Promise<ScanResult> {
    const data = await this.post(`${ticketPath(ticketId)}/scan`, launchScene === undefined ? {} : { launchScene });
    return parseScan(data);
  }

  async confirm(ticketId: string, input: ConfirmInput): Promise<void> {
    await this.post(`${ticketPath(ticketId)}/confirm`, input);
  }

  async cancel(ticketId: string, scanToken: string): Promise<void> {
    await this.post(`${ticketPath(ticketId)}/cancel`, { scanToken });
  }

  /** The simulator's wx.login for the H5 build: a fresh code for the simulated user `user`. */
  async simulatorCode(user: string): Promise<string> {
    const data = await this.post('/__wechat__/sim/login', { user });
    if (!isRecord(data) || typeof data.code !== 'string' || data.code === '') {
      throw new LoginError(ClientCode.BadResponse, 'The simulator answered without a code.');
    }
    return data.code;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let response: HttpResponse;
    try {
      response = await this.transport({
        method: 'POST',
        url: `${this.base}${path}`,
        data: body,
        header: { 'content-type': 'application/json' },
      });
    } catch (error) {
      throw asLoginError(error, ClientCode.NetworkError);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response.data;
    throw errorOf(response);
  }
}

function ticketPath(ticketId: string): string {
  return `/api/login/tickets/${encodeURIComponent(ticketId)}`;
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

function parseScan(data: unknown): ScanResult {
  if (
    !isRecord(data) ||
    typeof data.scanToken !== 'string' ||
    typeof data.expiresAt !== 'string' ||
    !isRequester(data.requester)
  ) {
    throw new LoginError(ClientCode.BadResponse, 'The scan answer is not what the contract promises.');
  }
  const site = isRecord(data.site) && typeof data.site.name === 'string' ? { name: data.site.name } : undefined;
  const wechat = data.wechat === 'simulator' || data.wechat === 'real' ? data.wechat : undefined;
  return {
    scanToken: data.scanToken,
    expiresAt: data.expiresAt,
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
