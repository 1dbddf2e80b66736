import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock';
import { cryptoRandom, sha256, type RandomBytes } from '../../core/random';
import { Errcode } from '../wechat-errcodes';
import { Faults, type Fault, type SimulatedApi } from './faults';
import { parseJsonObject } from './json-object';
import { renderQrPng } from './qr-image';
import { BEIJING_OFFSET_MS, DAY_MS, MINUTE_MS, Quota } from './quota';
import { SimAccessTokens } from './sim-access-tokens';
import { SimLoginCodes } from './sim-login-codes';
import { SIMULATED_APPID, SIMULATED_PAGES, SIMULATED_SECRET } from './simulated-app';
import { wechatErrorBody } from './wechat-error-body';
import { parseWxacodeRequest } from './wxacode-request';

export type { Fault, SimulatedApi } from './faults';

/** WeChat's published limits; tests may lower one to reach it quickly. */
export interface QuotaLimits {
  stableTokenPerMinute: number;
  stableTokenPerDay: number;
  tokenPerDay: number;
  getwxacodeunlimitPerMinute: number;
  jscode2sessionPerUserPerMinute: number;
}

export const WECHAT_QUOTA_LIMITS: QuotaLimits = {
  stableTokenPerMinute: 10_000,
  stableTokenPerDay: 500_000,
  tokenPerDay: 2_000,
  getwxacodeunlimitPerMinute: 5_000,
  jscode2sessionPerUserPerMinute: 100,
};

export interface SimulatorOptions {
  clock: Clock;
  /** default cryptoRandom */
  random?: RandomBytes;
  /** URL of the mini-program H5 build, e.g. 'http://localhost:3000/miniapp/'. The QR text is
   *  `${miniappUrl}#/${page}?scene=${encodeURIComponent(scene)}` (Taro H5 hash router). */
  miniappUrl: string | (() => string);
  /** WeChat's minute/day quotas and force_refresh rule (45009 / 45011); default true.
   *  Benchmarks turn them off. */
  quotas?: boolean;
  /** Overrides of WECHAT_QUOTA_LIMITS, when `quotas` is on. */
  quotaLimits?: Partial<QuotaLimits>;
}

type SimQuotas = Record<'stableTokenMinute' | 'stableTokenDay' | 'tokenDay' | 'wxacodeMinute' | 'sessionMinute', Quota>;

/** The phone page a simulated code opens: the H5 build's hash route with the scene, as WeChat passes it. */
export function confirmPageUrl(miniappUrl: string, page: string, scene: string): string {
  return `${miniappUrl}#/${page}?scene=${encodeURIComponent(scene)}`;
}

/** Query parameters as WeChat reads them: the first value of each name. */
export type WeChatQuery = Record<string, string | undefined>;

/** What WeChat answers: JSON (a result or an errcode, always HTTP 200) or the code image. */
export type WeChatReply = { json: object } | { png: Buffer };

/**
 * WeChat's server side for one mini-program (simulated-app.ts): the access token endpoints,
 * getwxacodeunlimit and jscode2session with WeChat's checks and errcodes, plus what the
 * WeChat app does on the phone (wx.login). Faults can be injected per API.
 */
export class WeChatSimulator {
  private readonly clock: Clock;
  private readonly random: RandomBytes;
  private readonly miniappUrl: () => string;
  private readonly faults = new Faults();
  private readonly calls = new Map<SimulatedApi, number>();
  private readonly tokens: SimAccessTokens;
  private readonly codes: SimLoginCodes;
  private readonly quotas?: SimQuotas;

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.random = options.random ?? cryptoRandom;
    const { miniappUrl } = options;
    this.miniappUrl = typeof miniappUrl === 'string' ? () => miniappUrl : miniappUrl;
    const quotasOn = options.quotas ?? true;
    this.tokens = new SimAccessTokens(this.clock, this.random, quotasOn);
    this.codes = new SimLoginCodes(this.clock, this.random);
    if (quotasOn) {
      const limits = { ...WECHAT_QUOTA_LIMITS, ...options.quotaLimits };
      this.quotas = {
        stableTokenMinute: new Quota(this.clock, limits.stableTokenPerMinute, MINUTE_MS),
        stableTokenDay: new Quota(this.clock, limits.stableTokenPerDay, DAY_MS, BEIJING_OFFSET_MS),
        tokenDay: new Quota(this.clock, limits.tokenPerDay, DAY_MS, BEIJING_OFFSET_MS),
        wxacodeMinute: new Quota(this.clock, limits.getwxacodeunlimitPerMinute, MINUTE_MS),
        sessionMinute: new Quota(this.clock, limits.jscode2sessionPerUserPerMinute, MINUTE_MS),
      };
    }
  }

  /** How many calls of `api` arrived, faulted or not: how tests see retries and caching. */
  callCount(api: SimulatedApi): number {
    return this.calls.get(api) ?? 0;
  }

  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** What wx.login is in the H5 build: a fresh code for simulated user `user` (stable openid per user). */
  login(user: string, appid: string = SIMULATED_APPID): string {
    return this.codes.issue(user, appid);
  }

  /** The openid WeChat gives `user` in `appid`: 28 characters from 'o', the same across restarts. */
  openidOf(user: string, appid: string = SIMULATED_APPID): string {
    const digest = Buffer.from(sha256(`${appid}\n${user}`), 'hex').toString('base64url');
    return `o${digest.slice(0, 27)}`;
  }

  /** The text of the code image for `scene`: the H5 build's page, opened as a scan opens it. */
  codeUrl(scene: string, page: string = SIMULATED_PAGES[0]): string {
    return confirmPageUrl(this.miniappUrl(), page, scene);
  }

  /** POST cgi-bin/stable_token, JSON body only: anything else reads as no appid (41002). */
  stableToken(rawBody: string): Promise<WeChatReply> {
    return this.serve('stable_token', () => {
      // WeChat reads a body that is not JSON as one without fields: 41002.
      const body = parseJsonObject(rawBody) ?? {};
      const rejected = this.checkCredentials(body.appid, body.secret, body.grant_type, 'client_credential');
      if (rejected !== undefined) return this.error(rejected);
      if (this.overQuota('stableTokenMinute') || this.overQuota('stableTokenDay')) {
        return this.error(Errcode.DAILY_QUOTA);
      }
      const issued = this.tokens.stable(body.force_refresh === true);
      return typeof issued === 'number' ? this.error(issued) : { json: issued };
    });
  }

  /** GET cgi-bin/token, the old endpoint. */
  token(query: WeChatQuery): Promise<WeChatReply> {
    return this.serve('token', () => {
      const rejected = this.checkCredentials(query.appid, query.secret, query.grant_type, 'client_credential');
      if (rejected !== undefined) return this.error(rejected);
      if (this.overQuota('tokenDay')) return this.error(Errcode.DAILY_QUOTA);
      return { json: this.tokens.legacy() };
    });
  }

  /** POST wxa/getwxacodeunlimit?access_token=: a QR code PNG whose text is codeUrl(scene, page). */
  getwxacodeunlimit(query: WeChatQuery, rawBody: string): Promise<WeChatReply> {
    return this.serve('getwxacodeunlimit', () => {
      const check = this.tokens.check(query.access_token ?? '');
      if (check !== 'valid') return this.error(check);
      if (this.overQuota('wxacodeMinute')) return this.error(Errcode.DAILY_QUOTA);
      const request = parseWxacodeRequest(rawBody);
      if (typeof request === 'number') return this.error(request);
      const png = renderQrPng(this.codeUrl(request.scene, request.page), {
        width: request.width,
        color: request.lineColor,
        transparent: request.isHyaline,
      });
      return { png };
    });
  }

  /** GET sns/jscode2session: each code once, within five minutes, for the app that issued it. */
  jscode2session(query: WeChatQuery): Promise<WeChatReply> {
    return this.serve('jscode2session', () => {
      const rejected = this.checkCredentials(query.appid, query.secret, query.grant_type, 'authorization_code');
      if (rejected !== undefined) return this.error(rejected);
      if (!query.js_code) return this.error(Errcode.CODE_MISSING);
      const code = this.codes.find(query.js_code, SIMULATED_APPID);
      if (code === undefined) return this.error(Errcode.INVALID_CODE);
      if (this.overQuota('sessionMinute', code.user)) return this.error(Errcode.MINUTE_QUOTA);
      if (code.used) return this.error(Errcode.CODE_BEEN_USED);
      code.used = true;
      return { json: { openid: this.openidOf(code.user), session_key: this.random(16).toString('base64') } };
    });
  }

  /** The simulator knows one app: any other appid or secret gets WeChat's errcode. */
  private checkCredentials(
    appid: unknown,
    secret: unknown,
    grantType: unknown,
    expectedGrantType: string,
  ): number | undefined {
    if (appid === undefined || appid === '') return Errcode.APPID_MISSING;
    if (grantType !== expectedGrantType) return Errcode.INVALID_GRANT_TYPE;
    if (appid !== SIMULATED_APPID) return Errcode.INVALID_APPID;
    if (secret !== SIMULATED_SECRET) return Errcode.INVALID_APPSECRET;
    return undefined;
  }

  /** Counts the call against a quota: true when it is over. Without quotas nothing is counted. */
  private overQuota(quota: keyof SimQuotas, key: string = SIMULATED_APPID): boolean {
    return this.quotas !== undefined && !this.quotas[quota].take(key);
  }

  private async serve(api: SimulatedApi, handle: () => WeChatReply | Promise<WeChatReply>): Promise<WeChatReply> {
    this.calls.set(api, this.callCount(api) + 1);
    const fault = this.faults.take(api);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.errcode !== undefined) return this.error(fault.errcode);
    return handle();
  }

  private error(errcode: number): WeChatReply {
    return { json: wechatErrorBody(errcode, this.clock, this.random) };
  }
}
