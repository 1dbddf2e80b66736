import {
  AppError,
  WeChatCodeInvalid,
  WeChatError,
  WeChatQuotaExceeded,
  WeChatUnavailable,
  WeChatUserBlocked,
} from '../errors';

/** The errcodes this project acts on (shared/WECHAT_API.md). */
export const Errcode = {
  SYSTEM_BUSY: -1,
  INVALID_CREDENTIAL: 40001,
  INVALID_GRANT_TYPE: 40002,
  INVALID_APPID: 40013,
  INVALID_CODE: 40029,
  INVALID_ARGS: 40097,
  INVALID_APPSECRET: 40125,
  INVALID_SCENE: 40129,
  CODE_BEEN_USED: 40163,
  IP_NOT_WHITELISTED: 40164,
  INVALID_SCENE_LENGTH: 40169,
  HIGH_RISK_USER: 40226,
  APPSECRET_FROZEN: 40243,
  APPID_MISSING: 41002,
  CODE_MISSING: 41008,
  INVALID_PAGE: 41030,
  ACCESS_TOKEN_EXPIRED: 42001,
  DAILY_QUOTA: 45009,
  MINUTE_QUOTA: 45011,
  DATA_FORMAT_ERROR: 47001,
  API_UNAUTHORIZED: 48001,
  IP_AWAITING_CONFIRMATION: 89503,
} as const;

/** 40001/42001: the token is stale; fetch a fresh one once and retry once. */
export function isTokenRejected(errcode: number): boolean {
  return errcode === Errcode.INVALID_CREDENTIAL || errcode === Errcode.ACCESS_TOKEN_EXPIRED;
}

/**
 * Turns a WeChat errcode into the error our clients see. A rejected login code is the
 * caller's fault (400); quota and "system busy" are WeChat's (503); anything else means
 * our configuration or WeChat is off (502) and carries the errcode for the operator.
 */
export function errorForErrcode(api: string, errcode: number): AppError {
  const details = { api, wechatErrcode: errcode };
  switch (errcode) {
    case Errcode.INVALID_CODE:
    case Errcode.CODE_BEEN_USED:
      return new WeChatCodeInvalid(undefined, details);
    case Errcode.HIGH_RISK_USER:
      return new WeChatUserBlocked(undefined, details);
    case Errcode.DAILY_QUOTA:
    case Errcode.MINUTE_QUOTA:
      return new WeChatQuotaExceeded(undefined, details);
    case Errcode.SYSTEM_BUSY:
      return new WeChatUnavailable('WeChat is busy. Try again.', details);
    default:
      return new WeChatError(`WeChat ${api} failed with errcode ${errcode}.`, details);
  }
}
