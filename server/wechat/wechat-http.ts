import axios, { AxiosInstance, AxiosRequestConfig, isAxiosError } from 'axios';
import { WeChatBadResponse, WeChatTimeout, WeChatUnavailable } from '../errors';
import { noMetrics, stopwatch, type Metrics } from '../metrics/metrics';

/**
 * What one WeChat call gave back. WeChat reports errors as HTTP 200 with a JSON body
 * `{errcode, errmsg}`, so an errcode is an expected outcome, returned as a value; only
 * "could not talk to WeChat at all" is thrown.
 */
export type WeChatReply = WeChatSuccess | { ok: false; errcode: number; errmsg: string };
export type WeChatSuccess = { ok: true; contentType: string; body: Buffer; json?: Record<string, unknown> };
export type WeChatRequest = AxiosRequestConfig;

function looksLikeJson(contentType: string, body: Buffer): boolean {
  return contentType.includes('json') || body.subarray(0, 1).toString() === '{';
}

/** The one place that speaks HTTP to WeChat: timeouts, transport errors, errcode bodies. */
export class WeChatHttp {
  private readonly http: AxiosInstance;

  /**
   * `baseUrl` may be a function: the embedded simulator's address is known only once the
   * host's server listens (library mode), so it is read at each call.
   */
  constructor(
    private readonly baseUrl: string | (() => string),
    timeoutMs: number,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.http = axios.create({
      timeout: timeoutMs,
      responseType: 'arraybuffer',
      // Every status is inspected below; WeChat's own errors come as 200.
      validateStatus: () => true,
      // Responses are small; a huge one means something is wrong on the other side.
      maxContentLength: 4 * 1024 * 1024,
      maxRedirects: 0,
    });
  }

  /** Every call is counted by `api` and how it ended: errcode '0', WeChat's errcode, or the failure's name. */
  async call(api: string, config: WeChatRequest): Promise<WeChatReply> {
    const elapsed = stopwatch();
    const ended = (result: string) => this.metrics.wechatCall(api, result, elapsed());
    let response;
    try {
      const base = typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
      response = await this.http.request({
        ...config,
        baseURL: base.replace(/\/+$/, '') + '/',
        url: config.url?.replace(/^\//, ''),
      });
    } catch (error) {
      const failure = transportError(api, error);
      ended(failure instanceof WeChatTimeout ? 'timeout' : 'network');
      throw failure;
    }
    const body = Buffer.from(response.data as ArrayBuffer);
    const contentType = String(response.headers['content-type'] ?? '');
    if (response.status !== 200) {
      ended(`http_${Math.floor(response.status / 100)}xx`);
      throw new WeChatBadResponse(`WeChat ${api} answered HTTP ${response.status}.`, { api });
    }
    if (!looksLikeJson(contentType, body)) {
      ended('0');
      return { ok: true, contentType, body };
    }

    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      ended('bad_response');
      throw new WeChatBadResponse(`WeChat ${api} answered with malformed JSON.`, { api });
    }
    const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
    ended(String(errcode));
    // Some successful answers carry `"errcode": 0, "errmsg": "ok"`; both forms are success.
    if (errcode !== 0) return { ok: false, errcode, errmsg: String(json.errmsg ?? '') };
    return { ok: true, contentType, body, json };
  }
}

function transportError(api: string, error: unknown): Error {
  if (isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')) {
    return new WeChatTimeout(undefined, { api });
  }
  return new WeChatUnavailable(undefined, { api });
}
