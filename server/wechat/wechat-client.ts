import type { Clock } from '../core/clock';
import { WeChatBadResponse } from '../errors';
import type { Metrics } from '../metrics/metrics';
import { AccessToken } from './access-token';
import type { AccessTokenStore, StoredAccessToken } from './access-token-store';
import type { RefreshLock } from './refresh-lock';
import { Errcode, errorForErrcode, isTokenRejected } from './wechat-errcodes';
import { WeChatHttp, WeChatReply, WeChatRequest, WeChatSuccess } from './wechat-http';

export interface WeChatClientOptions {
  appid: string;
  secret: string;
  /** https://api.weixin.qq.com, or the embedded simulator's /__wechat__ base. */
  baseUrl: string | (() => string);
  timeoutMs: number;
  tokenStore: AccessTokenStore;
  /** Several instances: one of them fetches the token at a time. */
  refreshLock?: RefreshLock;
  clock: Clock;
  /** Attempts for errcode -1 ("system busy"), back-off doubling from `busyBackoffMs`. */
  busyAttempts?: number;
  busyBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Where every HTTP call to WeChat is counted; none by default. */
  metrics?: Metrics;
}

export interface UnlimitedCodeRequest {
  scene: string;
  page: string;
  envVersion: 'release' | 'trial' | 'develop';
  checkPath: boolean;
  width: number;
}

export interface CodeImage {
  contentType: string;
  image: Buffer;
}

/** What we keep of jscode2session. The session_key is dropped here: we never need it. */
export interface WeChatSession {
  openid: string;
  unionid?: string;
}

/** The WeChat session exchange as the login service sees it. */
export interface SessionExchanger {
  code2Session(code: string): Promise<WeChatSession>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The three WeChat calls this project makes (shared/WECHAT_API.md). */
export class WeChatClient implements SessionExchanger {
  private readonly http: WeChatHttp;
  readonly accessToken: AccessToken;

  constructor(private readonly options: WeChatClientOptions) {
    this.http = new WeChatHttp(options.baseUrl, options.timeoutMs, options.metrics);
    this.accessToken = new AccessToken(
      options.appid,
      (force) => this.fetchToken(force),
      options.tokenStore,
      options.clock,
      options.refreshLock,
    );
  }

  async getUnlimitedCode(request: UnlimitedCodeRequest): Promise<CodeImage> {
    const reply = await this.withToken('getwxacodeunlimit', (token) => ({
      method: 'POST',
      url: 'wxa/getwxacodeunlimit',
      params: { access_token: token },
      data: {
        scene: request.scene,
        page: request.page,
        env_version: request.envVersion,
        check_path: request.checkPath,
        width: request.width,
      },
    }));
    // Success is the image itself; a JSON body is an error even when errcode is missing.
    if (!reply.contentType.startsWith('image/')) {
      throw new WeChatBadResponse('WeChat getwxacodeunlimit answered without an image.', { api: 'getwxacodeunlimit' });
    }
    return { contentType: reply.contentType.split(';')[0], image: reply.body };
  }

  async code2Session(code: string): Promise<WeChatSession> {
    const reply = await this.call('jscode2session', {
      method: 'GET',
      url: 'sns/jscode2session',
      params: {
        appid: this.options.appid,
        secret: this.options.secret,
        js_code: code,
        grant_type: 'authorization_code',
      },
    });
    const openid = reply.json?.openid;
    if (typeof openid !== 'string' || openid === '') {
      throw new WeChatBadResponse('WeChat jscode2session answered without an openid.', { api: 'jscode2session' });
    }
    const unionid = reply.json?.unionid;
    return typeof unionid === 'string' && unionid !== '' ? { openid, unionid } : { openid };
  }

  private async fetchToken(force: boolean): Promise<StoredAccessToken> {
    const reply = await this.call('stable_token', {
      method: 'POST',
      url: 'cgi-bin/stable_token',
      data: {
        grant_type: 'client_credential',
        appid: this.options.appid,
        secret: this.options.secret,
        force_refresh: force,
      },
    });
    const token = reply.json?.access_token;
    const expiresIn = reply.json?.expires_in;
    if (typeof token !== 'string' || typeof expiresIn !== 'number') {
      throw new WeChatBadResponse('WeChat stable_token answered without a token.', { api: 'stable_token' });
    }
    return { token, expiresAt: this.options.clock.now() + expiresIn * 1000 };
  }

  /** One call with the access token; on 40001/42001 one fresh token and one retry. */
  private async withToken(
    api: string,
    request: (token: string) => WeChatRequest,
  ): Promise<WeChatSuccess> {
    const token = await this.accessToken.get();
    const first = await this.attempt(api, request(token));
    if (first.ok || !isTokenRejected(first.errcode)) return this.unwrap(api, first);
    const fresh = await this.accessToken.replace(token);
    return this.unwrap(api, await this.attempt(api, request(fresh)));
  }

  private async call(api: string, request: WeChatRequest): Promise<WeChatSuccess> {
    return this.unwrap(api, await this.attempt(api, request));
  }

  /**
   * Retries "system busy" (-1) a bounded number of times with doubling back-off.
   * Quota errors (45009/45011) are never retried: retrying is how quotas get burned.
   */
  private async attempt(api: string, request: WeChatRequest): Promise<WeChatReply> {
    const attempts = this.options.busyAttempts ?? 3;
    const backoff = this.options.busyBackoffMs ?? 200;
    const sleep = this.options.sleep ?? realSleep;
    for (let i = 1; ; i++) {
      const reply = await this.http.call(api, request);
      if (reply.ok || reply.errcode !== Errcode.SYSTEM_BUSY || i >= attempts) return reply;
      await sleep(backoff * 2 ** (i - 1));
    }
  }

  private unwrap(api: string, reply: WeChatReply): WeChatSuccess {
    if (!reply.ok) throw errorForErrcode(api, reply.errcode);
    return reply;
  }
}
