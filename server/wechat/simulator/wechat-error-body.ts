import type { Clock } from '../../core/clock';
import type { RandomBytes } from '../../core/random';
import { Errcode } from '../wechat-errcodes';

/** WeChat's own errmsg texts, so logs and SDK error messages read the same as in production. */
const ERRMSG: Record<number, string> = {
  [Errcode.SYSTEM_BUSY]: 'system error',
  [Errcode.INVALID_CREDENTIAL]: 'invalid credential, access_token is invalid or not latest',
  [Errcode.INVALID_GRANT_TYPE]: 'invalid grant_type',
  [Errcode.INVALID_APPID]: 'invalid appid',
  [Errcode.INVALID_CODE]: 'invalid code',
  [Errcode.INVALID_ARGS]: 'invalid args',
  [Errcode.INVALID_APPSECRET]: 'invalid appsecret',
  [Errcode.INVALID_SCENE]: 'invalid scene',
  [Errcode.CODE_BEEN_USED]: 'code been used',
  [Errcode.IP_NOT_WHITELISTED]: 'invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist',
  [Errcode.INVALID_SCENE_LENGTH]: 'invalid length for scene, or the data is not json string',
  [Errcode.HIGH_RISK_USER]: 'high risk user, login blocked',
  [Errcode.APPSECRET_FROZEN]: 'AppSecret已被冻结，请登录小程序平台解冻后再次调用。',
  [Errcode.APPID_MISSING]: 'appid missing',
  [Errcode.CODE_MISSING]: 'missing code',
  [Errcode.INVALID_PAGE]: 'invalid page',
  [Errcode.ACCESS_TOKEN_EXPIRED]: 'access_token expired',
  [Errcode.DAILY_QUOTA]: 'reach max api daily quota limit',
  [Errcode.MINUTE_QUOTA]: 'api minute-quota reach limit mustslower retry next minute',
  [Errcode.DATA_FORMAT_ERROR]: 'data format error',
  [Errcode.API_UNAUTHORIZED]: 'api unauthorized',
  [Errcode.IP_AWAITING_CONFIRMATION]: '此次调用需要管理员确认，请耐心等候',
};

export interface WeChatErrorBody {
  errcode: number;
  errmsg: string;
}

/**
 * WeChat's error body. The rid is WeChat's request id: the call's Unix time in hex, then
 * two random hex words; support asks for it, and clients must treat errmsg as opaque text.
 */
export function wechatErrorBody(errcode: number, clock: Clock, random: RandomBytes): WeChatErrorBody {
  const seconds = Math.floor(clock.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  const words = random(8).toString('hex');
  const rid = `${seconds}-${words.slice(0, 8)}-${words.slice(8)}`;
  return { errcode, errmsg: `${ERRMSG[errcode] ?? 'simulated fault'} rid: ${rid}` };
}
