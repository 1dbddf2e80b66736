import { LoginApi, Transport } from './api';
import type { KeyValueStorage } from './key-value-storage';
import { simulatorLogin, wechatLogin, WeChatLoginResult } from './login-adapter';
import type { LoginServer } from './login-server';
import { sourcedLogin, TicketLogin } from './login-source';
import { ScanTokens, storedScanTokens } from './scan-tokens';
import { readSimUser } from './sim-user';

/** What a platform (Taro, or a native mini-program) hands the confirm page. */
export interface PlatformParts {
  server: LoginServer;
  transport: Transport;
  storage: KeyValueStorage;
  /** `wx.login` / `Taro.login`. */
  wechatLogin: () => Promise<WeChatLoginResult>;
  /** A build without wx.login (H5): every login code comes from the simulator. */
  simulatorOnly: boolean;
}

/** The confirm page's collaborators, built one way on every platform. */
export interface ConfirmServices {
  api: LoginApi;
  scanTokens: ScanTokens;
  login: TicketLogin;
  storage: KeyValueStorage;
  simulatorOnly: boolean;
}

export function confirmServices(parts: PlatformParts): ConfirmServices {
  const api = new LoginApi(parts.server, parts.transport);
  return {
    api,
    scanTokens: storedScanTokens(parts.storage, Date.now),
    login: sourcedLogin(parts.simulatorOnly, {
      wechat: wechatLogin(parts.wechatLogin),
      simulator: simulatorLogin(api, () => readSimUser(parts.storage)),
    }),
    storage: parts.storage,
    simulatorOnly: parts.simulatorOnly,
  };
}
