import type { ScanResult, WeChatMode } from './api';
import type { LoginAdapter } from './login-adapter';

/**
 * Where the confirm call's one-time login code comes from: WeChat's `wx.login`, or the
 * simulator's stand-in (`POST /__wechat__/sim/login`).
 */
export type LoginSource = 'wechat' | 'simulator';

/**
 * The source for a ticket, by whom its server asks about logins, which the scan answer
 * says (`wechat`). A server that simulates WeChat rightly refuses real WeChat codes, and
 * WeChat devtools without a registered appid (a tourist or test appid) has nothing else to
 * offer, so against it the code comes from the simulator. The scan answer and not
 * GET /healthz: a host site that mounts the server library has no /healthz.
 * `simulatorOnly`: a build without wx.login (H5), whose code always comes from the simulator.
 */
export function loginSourceFor(wechat: WeChatMode | undefined, simulatorOnly: boolean): LoginSource {
  return simulatorOnly || wechat === 'simulator' ? 'simulator' : 'wechat';
}

/** A fresh login code for the ticket whose scan answered `scan`. */
export type TicketLogin = (scan: Pick<ScanResult, 'wechat'>) => Promise<string>;

/** The adapter of the ticket's source (see loginSourceFor), looked up at each call. */
export function sourcedLogin(simulatorOnly: boolean, adapters: Record<LoginSource, LoginAdapter>): TicketLogin {
  return (scan) => adapters[loginSourceFor(scan.wechat, simulatorOnly)]();
}
