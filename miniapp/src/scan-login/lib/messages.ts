import type { Language } from './language';

/** What the visitor reads when something fails: what happened, and what to do next. */
export interface Message {
  title: string;
  hint: string;
}

/**
 * A failure that another try can fix names the button that tries again, which depends on
 * where the page is: "Confirm" or "Cancel" after that tap failed, "Retry" after the scan.
 */
type Hint = string | ((button: string) => string);

type Catalog = Record<string, Record<Language, { title: string; hint: Hint }>>;

const NEW_CODE = {
  zh: '请在电脑上刷新二维码，再扫一次。',
  en: 'Refresh the code on your computer and scan it again.',
};

/** "tap <button>", in each language's quotes. */
const tap = {
  zh: (button: string) => `点“${button}”`,
  en: (button: string) => `tap "${button}"`,
};

/**
 * One entry per error code the confirm page can meet: the server's stable codes
 * (server/errors.ts) and the mini-program's own (login-error.ts). A retryable code's hint
 * names the button that retries (see confirm-flow.ts, which decides what is retryable).
 */
const CATALOG: Catalog = {
  TICKET_EXPIRED: {
    zh: { title: '二维码已过期', hint: NEW_CODE.zh },
    en: { title: 'This code has expired', hint: NEW_CODE.en },
  },
  TICKET_CONSUMED: {
    zh: { title: '二维码已被使用', hint: `它已经用来登录过了。${NEW_CODE.zh}` },
    en: { title: 'This code has already been used', hint: `It has already logged someone in. ${NEW_CODE.en}` },
  },
  TICKET_CANCELLED: {
    zh: { title: '这次登录已取消', hint: `如需登录，${NEW_CODE.zh}` },
    en: { title: 'This login was cancelled', hint: `To log in, ${lowerFirst(NEW_CODE.en)}` },
  },
  TICKET_ALREADY_SCANNED: {
    zh: { title: '二维码已被扫过', hint: `每个二维码只能由一个人确认。${NEW_CODE.zh}` },
    en: { title: 'Someone has already scanned this code', hint: `Only one person can confirm a code. ${NEW_CODE.en}` },
  },
  TICKET_ALREADY_CONFIRMED: {
    zh: { title: '这次登录已经确认过了', hint: '请看电脑上是否已登录；没有的话，刷新二维码再扫。' },
    en: { title: 'This login was already confirmed', hint: 'Check whether your computer is logged in; if not, refresh the code and scan again.' },
  },
  TICKET_CONFIRMING: {
    zh: {
      title: '这次登录正在确认中',
      hint: (button) => `另一次确认（可能是刷新页面之前的那次）还在进行，你的微信登录凭证没有被使用。请等几秒：电脑上没有登录的话，再${tap.zh(button)}。`,
    },
    en: {
      title: 'This login is being confirmed already',
      hint: (button) =>
        `Another confirm of it (perhaps the one from before the page reloaded) is still under way; your WeChat login was not used. Wait a few seconds, and if your computer is not logged in, ${tap.en(button)} again.`,
    },
  },
  TICKET_NOT_SCANNED: {
    zh: { title: '登录请求已失效', hint: NEW_CODE.zh },
    en: { title: 'This login request is no longer valid', hint: NEW_CODE.en },
  },
  TICKET_NOT_FOUND: {
    zh: { title: '找不到这次登录', hint: `二维码可能已失效很久了。${NEW_CODE.zh}` },
    en: { title: 'This login could not be found', hint: `The code may have expired long ago. ${NEW_CODE.en}` },
  },
  SCAN_TOKEN_INVALID: {
    zh: { title: '这次扫码已失效', hint: NEW_CODE.zh },
    en: { title: 'This scan is no longer valid', hint: NEW_CODE.en },
  },
  SCENE_MISSING: {
    zh: { title: '没有找到登录请求', hint: '请用微信扫描电脑网页上的登录二维码。' },
    en: { title: 'No login request here', hint: 'Scan the login code shown on the web page with WeChat.' },
  },
  WECHAT_CODE_INVALID: {
    zh: { title: '微信登录凭证无效', hint: (button) => `凭证可能已过期或已用过。再${tap.zh(button)}会重新获取。` },
    en: {
      title: 'WeChat did not accept the login',
      hint: (button) => `The login code expired or was used; ${tap.en(button)} again to get a new one.`,
    },
  },
  LOGIN_FAILED: {
    zh: { title: '微信登录失败', hint: (button) => `请检查网络，再${tap.zh(button)}。` },
    en: { title: 'WeChat login failed', hint: (button) => `Check your connection, then ${tap.en(button)} again.` },
  },
  WECHAT_USER_BLOCKED: {
    zh: { title: '微信限制了这个账号', hint: '微信判定此账号有风险，暂时无法登录。' },
    en: { title: 'WeChat has restricted this account', hint: 'WeChat flagged this account as high-risk; it cannot log in for now.' },
  },
  WECHAT_UNAVAILABLE: {
    zh: { title: '暂时连不上微信', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: { title: 'WeChat cannot be reached right now', hint: (button) => `Wait a moment, then ${tap.en(button)} again.` },
  },
  WECHAT_TIMEOUT: {
    zh: { title: '微信响应超时', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: { title: 'WeChat did not answer in time', hint: (button) => `Wait a moment, then ${tap.en(button)} again.` },
  },
  WECHAT_QUOTA_EXCEEDED: {
    zh: { title: '登录请求太多了', hint: (button) => `微信的调用额度暂时用完，请过一会儿再${tap.zh(button)}。` },
    en: {
      title: 'Too many logins right now',
      hint: (button) => `The WeChat quota is used up for the moment. Wait a minute, then ${tap.en(button)} again.`,
    },
  },
  WECHAT_ERROR: {
    zh: { title: '微信返回了错误', hint: (button) => `请再${tap.zh(button)}。` },
    en: { title: 'WeChat answered with an error', hint: (button) => `${upperFirst(tap.en(button))} again.` },
  },
  WECHAT_BAD_RESPONSE: {
    zh: { title: '微信返回了无法识别的结果', hint: (button) => `请再${tap.zh(button)}。` },
    en: { title: 'WeChat answered with something unexpected', hint: (button) => `${upperFirst(tap.en(button))} again.` },
  },
  RATE_LIMITED: {
    zh: { title: '操作太频繁', hint: (button) => `请等几秒再${tap.zh(button)}。` },
    en: { title: 'Too many requests', hint: (button) => `Wait a few seconds, then ${tap.en(button)} again.` },
  },
  // Not retryable on this page (confirm-flow.ts): scanning again resumes the same ticket.
  STORE_UNAVAILABLE: {
    zh: { title: '登录服务暂时出了问题', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: { title: 'The login service is having trouble', hint: (button) => `Wait a moment, then ${tap.en(button)} again.` },
  },
  INTERNAL_ERROR: {
    zh: { title: '服务器出错了', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: { title: 'Something went wrong on the server', hint: (button) => `Wait a moment, then ${tap.en(button)} again.` },
  },
  NETWORK_ERROR: {
    zh: { title: '网络连接失败', hint: (button) => `请检查网络，再${tap.zh(button)}。` },
    en: { title: 'No connection to the server', hint: (button) => `Check your connection, then ${tap.en(button)} again.` },
  },
  HTTP_ERROR: {
    zh: { title: '服务器暂时不可用', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: { title: 'The server is not available', hint: (button) => `Wait a moment, then ${tap.en(button)} again.` },
  },
  BAD_RESPONSE: {
    zh: { title: '服务器返回了无法识别的结果', hint: (button) => `请稍后再${tap.zh(button)}。` },
    en: {
      title: 'The server answered with something unexpected',
      hint: (button) => `Wait a moment, then ${tap.en(button)} again.`,
    },
  },
};

/** Codes a correct mini-program never meets (bad input, wrong endpoint): a bug, not the visitor's doing. */
const UNEXPECTED: Record<Language, Message> = {
  zh: { title: '出错了', hint: '请在电脑上刷新二维码再试；如果仍然出错，请联系网站。' },
  en: { title: 'Something went wrong', hint: 'Refresh the code on your computer and try again; if it keeps failing, contact the website.' },
};

/**
 * The message for `code`. `retryButton` is the label of the button on screen that tries
 * again, which a retryable code's hint names.
 */
export function messageFor(code: string, language: Language, retryButton: string): Message {
  if (!Object.prototype.hasOwnProperty.call(CATALOG, code)) return UNEXPECTED[language];
  const { title, hint } = CATALOG[code][language];
  return { title, hint: typeof hint === 'string' ? hint : hint(retryButton) };
}

/** The codes with their own message, for tests and the README's list. */
export const MESSAGE_CODES: readonly string[] = Object.keys(CATALOG);

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
