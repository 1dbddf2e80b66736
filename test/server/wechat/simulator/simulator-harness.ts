import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { ManualClock } from '../../../../server/core/clock';
import type { AccessTokenStore } from '../../../../server/wechat/access-token-store';
import { WeChatClient, type WeChatClientOptions } from '../../../../server/wechat/wechat-client';
import { simulatorRouter } from '../../../../server/wechat/simulator/simulator-router';
import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../../server/wechat/simulator/simulated-app';
import { WeChatSimulator, type SimulatorOptions } from '../../../../server/wechat/simulator/wechat-simulator';

export const MINIAPP_URL = 'http://localhost:3000/miniapp/';
export const RID = /^.+ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

export interface Answer {
  status: number;
  contentType: string;
  /** parsed JSON, or undefined for an image */
  body: any;
  bytes: Buffer;
}

/** The simulator router alone in a Koa app on an ephemeral port, driven by a ManualClock. */
export class SimulatorHarness {
  readonly clock = new ManualClock();
  readonly simulator: WeChatSimulator;
  private readonly server: Server;
  readonly base: Promise<string>;

  constructor(options: Partial<SimulatorOptions> = {}) {
    this.simulator = new WeChatSimulator({ clock: this.clock, miniappUrl: MINIAPP_URL, ...options });
    const app = new Koa();
    const router = simulatorRouter(this.simulator, { faults: true });
    app.use(router.routes()).use(router.allowedMethods());
    this.server = app.listen(0, '127.0.0.1');
    this.base = new Promise((resolve) =>
      this.server.once('listening', () => {
        resolve(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}/__wechat__`);
      }),
    );
  }

  /** Our real WeChat client pointed at this simulator, with the simulated app's credentials. */
  async client(tokenStore: AccessTokenStore, options: Partial<WeChatClientOptions> = {}): Promise<WeChatClient> {
    return new WeChatClient({
      appid: SIMULATED_APPID,
      secret: SIMULATED_SECRET,
      baseUrl: await this.base,
      timeoutMs: 2000,
      tokenStore,
      clock: this.clock,
      ...options,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${await this.base}/${path}`, init);
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
    return { status: response.status, contentType, body, bytes };
  }

  get(path: string, query: Record<string, string> = {}): Promise<Answer> {
    return this.request(`${path}?${new URLSearchParams(query)}`);
  }

  /** POSTs `body` as JSON, or as given when it is already a string. */
  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: text,
    });
  }

  async stableToken(forceRefresh = false): Promise<{ access_token: string; expires_in: number }> {
    const answer = await this.post('cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: SIMULATED_APPID,
      secret: SIMULATED_SECRET,
      force_refresh: forceRefresh,
    });
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: expect.any(Number) });
    return answer.body;
  }

  async legacyToken(): Promise<string> {
    const answer = await this.get('cgi-bin/token', {
      grant_type: 'client_credential',
      appid: SIMULATED_APPID,
      secret: SIMULATED_SECRET,
    });
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    return answer.body.access_token;
  }

  getwxacodeunlimit(accessToken: string, body: unknown): Promise<Answer> {
    return this.post(`wxa/getwxacodeunlimit?access_token=${encodeURIComponent(accessToken)}`, body);
  }

  /**
   * What WeChat makes of `token`: 40001, 42001, or 40169 for a live token (the token check
   * passes and the empty body is refused).
   */
  async tokenErrcode(token: string): Promise<number> {
    return (await this.getwxacodeunlimit(token, {})).body.errcode;
  }

  jscode2session(code: string, overrides: Record<string, string> = {}): Promise<Answer> {
    return this.get('sns/jscode2session', {
      appid: SIMULATED_APPID,
      secret: SIMULATED_SECRET,
      js_code: code,
      grant_type: 'authorization_code',
      ...overrides,
    });
  }
}

/** Asserts WeChat's error shape: HTTP 200, JSON, errcode, errmsg ending in a rid. */
export function expectErrcode(answer: Answer, errcode: number): void {
  expect({ status: answer.status, errcode: answer.body?.errcode }).toEqual({ status: 200, errcode });
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.body.errmsg).toMatch(RID);
}
