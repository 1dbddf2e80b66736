import type { TicketStatus } from '../client';

export type Locale = 'en' | 'zh';

/**
 * What the status line can say: a ticket status, or the phases around it (`loggedIn` and
 * the `error` of a host's account view, see ScanLogin's `account`).
 */
export type StatusKey = TicketStatus | 'loading' | 'error' | 'loggedIn';

/** The component's texts in one language. */
export interface Messages {
  hint: string;
  status: Record<StatusKey, string>;
  expiresIn: (clock: string) => string;
  refreshing: string;
  /** While neither ws nor HTTP reaches the server; the client keeps trying. */
  unreachable: { title: string; detail: string };
  confirmOnPhone: string;
  qrAlt: string;
  refresh: string;
  retry: string;
  /** Error text by error code; `WECHAT` covers every WECHAT_* code. */
  errors: Record<string, string>;
  unknownError: (code: string) => string;
  /** The notice while the server runs the WeChat simulator instead of WeChat. */
  simulator: { title: string; detail: string; openPhone: string; newTab: string };
}

const en: Messages = {
  hint: 'Open WeChat, tap + → Scan, and point your phone at the code.',
  status: {
    loading: 'Getting a code…',
    pending: 'Scan the code with WeChat to log in',
    scanned: 'Scanned — confirm on your phone',
    confirmed: 'Confirmed — logging you in…',
    cancelled: 'Login cancelled on the phone',
    expired: 'This code has expired',
    error: 'Could not log you in',
    loggedIn: 'You are logged in',
  },
  expiresIn: (clock) => `Code expires in ${clock}`,
  refreshing: 'Getting a fresh code…',
  unreachable: {
    title: 'The login server cannot be reached.',
    detail: 'Trying again by itself — keep this page open.',
  },
  confirmOnPhone: 'Tap Confirm in WeChat',
  qrAlt: 'WeChat mini-program code: scan it with WeChat to log in',
  refresh: 'Get a new code',
  retry: 'Try again',
  errors: {
    NETWORK_ERROR: 'The login server cannot be reached. Check your connection, then try again.',
    RATE_LIMITED: 'Too many attempts from this network. Wait a moment, then try again.',
    WECHAT: 'WeChat is not answering right now, so no code can be made. Try again in a moment.',
    QRCODE_FAILED: 'The code image could not be loaded.',
    TICKET_NOT_FOUND: 'The server no longer knows this code (it may have restarted). Get a new one.',
    STORE_UNAVAILABLE: 'The login service is having trouble right now. Try again in a moment.',
    SUBSCRIPTION_REPLACED: 'This login is being finished in another window or tab.',
    TOKEN_ALREADY_DELIVERED: 'The login was confirmed, but this page missed it. Please scan a new code.',
    TOKEN_INVALID: 'Your session has ended. Please log in again.',
    // An OpenID login whose interaction is over (see `ticketsUrl`): only the site can start another.
    INTERACTION_NOT_FOUND: 'This login attempt has expired. Go back to the site and start again.',
  },
  unknownError: (code) => `Something went wrong (${code}).`,
  simulator: {
    title: 'WeChat is simulated — demo only',
    detail: 'This server does not ask WeChat who you are: anyone can confirm a code, under any name. Do not use it for real accounts.',
    openPhone: 'Open the phone page for this code',
    newTab: '(opens in a new tab)',
  },
};

const zh: Messages = {
  hint: '打开微信，点右上角“+”→“扫一扫”，扫描上方小程序码。',
  status: {
    loading: '正在获取小程序码…',
    pending: '请使用微信扫码登录',
    scanned: '扫码成功，请在手机上确认',
    confirmed: '已确认，正在登录…',
    cancelled: '你已在手机上取消登录',
    expired: '小程序码已过期',
    error: '登录失败',
    loggedIn: '你已登录',
  },
  expiresIn: (clock) => `${clock} 后过期`,
  refreshing: '正在获取新的小程序码…',
  unreachable: {
    title: '暂时无法连接登录服务器。',
    detail: '正在自动重试，请保持本页打开。',
  },
  confirmOnPhone: '请在微信中点击“确认”',
  qrAlt: '微信小程序码：使用微信扫码登录',
  refresh: '刷新小程序码',
  retry: '重试',
  errors: {
    NETWORK_ERROR: '无法连接登录服务器，请检查网络后重试。',
    RATE_LIMITED: '操作过于频繁，请稍后再试。',
    WECHAT: '微信服务暂时无响应，无法生成小程序码，请稍后重试。',
    QRCODE_FAILED: '小程序码加载失败。',
    TICKET_NOT_FOUND: '服务器已找不到这个小程序码（可能刚重启），请获取新的。',
    STORE_UNAVAILABLE: '登录服务暂时出了问题，请稍后重试。',
    SUBSCRIPTION_REPLACED: '此次登录正在另一个窗口或标签页中进行。',
    TOKEN_ALREADY_DELIVERED: '登录已确认，但本页面未能收到，请重新扫码。',
    TOKEN_INVALID: '登录已失效，请重新登录。',
    INTERACTION_NOT_FOUND: '此次登录已过期，请返回原网站重新开始。',
  },
  unknownError: (code) => `出错了（${code}）。`,
  simulator: {
    title: '微信为模拟环境——仅供演示',
    detail: '此服务器不向微信核实你的身份：任何人都能以任意名字确认登录，请勿用于真实账号。',
    openPhone: '打开此二维码的手机页面',
    newTab: '（在新标签页中打开）',
  },
};

export const messages: Record<Locale, Messages> = { en, zh };

/** The text for an error code, in the reader's language. */
export function errorText(m: Messages, code: string): string {
  if (code.startsWith('WECHAT_')) return m.errors.WECHAT;
  return m.errors[code] ?? m.unknownError(code);
}

/** `zh` for any Chinese language tag (`zh`, `zh-CN`, `zh-Hant-TW`), else `en`. */
export function localeOf(tag: string): Locale {
  return tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The browser's first language, as one of ours; `en` where there is no navigator. */
export function browserLocale(): Locale {
  const nav = globalThis.navigator as Navigator | undefined;
  return localeOf(nav?.languages?.[0] ?? nav?.language ?? 'en');
}
