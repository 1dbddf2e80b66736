import type { WeChatMode } from './api';
import type { LoginAdapter } from './login-adapter';

/**
 * Where the confirm call's one-time login code comes from: WeChat's `wx.login`, or the
 * simulator's stand-in (`POST /__wechat__/sim/login`).
 */
export type LoginSource = 'wechat' | 'simulator';

/**
 * The weapp build's source, by whom the server asks about logins. A server that simulates
 * WeChat rightly refuses real WeChat codes, and WeChat devtools without a registered appid
 * (a tourist or test appid) has nothing else to offer, so against it the code comes from
 * the simulator, as on H5. Only the server can say: the same build runs against both.
 */
export function loginSourceFor(wechat: WeChatMode): LoginSource {
  return wechat === 'simulator' ? 'simulator' : 'wechat';
}

/**
 * Asks the server once per run and keeps the answer (a server does not change modes while
 * it runs). A failed ask is not kept: the next call asks again, since a confirm that cannot
 * reach /healthz would not have reached the server either, and may after a retry.
 */
export function askedLoginSource(wechatMode: () => Promise<WeChatMode>): () => Promise<LoginSource> {
  let asked: Promise<LoginSource> | undefined;
  return () => {
    asked ??= wechatMode().then(loginSourceFor, (error: unknown) => {
      asked = undefined;
      throw error;
    });
    return asked;
  };
}

/** The adapter of the source, looked up at each call; the first waits for the server's answer. */
export function sourcedLogin(source: () => Promise<LoginSource>, adapters: Record<LoginSource, LoginAdapter>): LoginAdapter {
  return async () => adapters[await source()]();
}
