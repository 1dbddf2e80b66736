import type { Language } from './language';

/** What the visitor reads when something fails: what happened, and what to do next. */
export interface Message {
  title: string;
  hint: string;
}

type Catalog = Record<string, Record<Language, Message>>;

const NEW_CODE = {
  zh: '请在电脑上刷新二维码，再扫一次。',
  en: 'Refresh the code on your computer and scan it again.',
};

const RETRY = {
  zh: '请点“重试”。',
  en: 'Tap "Retry".',
};

/**
 * One entry per error code the confirm page can meet: the server's stable codes
 * (server/errors.ts) and the mini-program's own (login-error.ts). A retryable code's hint
 * says to retry (see confirm-flow.ts, which decides what is retryable).
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
    zh: { title: '这次登录正在确认中', hint: `另一次确认还在进行，你的微信登录凭证没有被使用。请稍后${RETRY.zh}` },
    en: { title: 'This login is being confirmed already', hint: `Another confirm of it is under way; your WeChat login was not used. Wait a moment. ${RETRY.en}` },
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
    zh: { title: '微信登录凭证无效', hint: `凭证可能已过期或已用过，重试会重新获取。${RETRY.zh}` },
    en: { title: 'WeChat did not accept the login', hint: `The login code expired or was used; retrying gets a new one. ${RETRY.en}` },
  },
  LOGIN_FAILED: {
    zh: { title: '微信登录失败', hint: `请检查网络。${RETRY.zh}` },
    en: { title: 'WeChat login failed', hint: `Check your connection. ${RETRY.en}` },
  },
  WECHAT_USER_BLOCKED: {
    zh: { title: '微信限制了这个账号', hint: '微信判定此账号有风险，暂时无法登录。' },
    en: { title: 'WeChat has restricted this account', hint: 'WeChat flagged this account as high-risk; it cannot log in for now.' },
  },
  WECHAT_UNAVAILABLE: {
    zh: { title: '暂时连不上微信', hint: `请稍后${RETRY.zh}` },
    en: { title: 'WeChat cannot be reached right now', hint: `Wait a moment. ${RETRY.en}` },
  },
  WECHAT_TIMEOUT: {
    zh: { title: '微信响应超时', hint: `请稍后${RETRY.zh}` },
    en: { title: 'WeChat did not answer in time', hint: `Wait a moment. ${RETRY.en}` },
  },
  WECHAT_QUOTA_EXCEEDED: {
    zh: { title: '登录请求太多了', hint: `微信的调用额度暂时用完，请过一会儿${RETRY.zh}` },
    en: { title: 'Too many logins right now', hint: `The WeChat quota is used up for the moment. Wait a minute. ${RETRY.en}` },
  },
  WECHAT_ERROR: {
    zh: { title: '微信返回了错误', hint: RETRY.zh },
    en: { title: 'WeChat answered with an error', hint: RETRY.en },
  },
  WECHAT_BAD_RESPONSE: {
    zh: { title: '微信返回了无法识别的结果', hint: RETRY.zh },
    en: { title: 'WeChat answered with something unexpected', hint: RETRY.en },
  },
  RATE_LIMITED: {
    zh: { title: '操作太频繁', hint: `请稍等几秒再${RETRY.zh}` },
    en: { title: 'Too many requests', hint: `Wait a few seconds. ${RETRY.en}` },
  },
  INTERNAL_ERROR: {
    zh: { title: '服务器出错了', hint: `请稍后${RETRY.zh}` },
    en: { title: 'Something went wrong on the server', hint: `Wait a moment. ${RETRY.en}` },
  },
  NETWORK_ERROR: {
    zh: { title: '网络连接失败', hint: `请检查网络后${RETRY.zh}` },
    en: { title: 'No connection to the server', hint: `Check your connection. ${RETRY.en}` },
  },
  HTTP_ERROR: {
    zh: { title: '服务器暂时不可用', hint: `请稍后${RETRY.zh}` },
    en: { title: 'The server is not available', hint: `Wait a moment. ${RETRY.en}` },
  },
  BAD_RESPONSE: {
    zh: { title: '服务器返回了无法识别的结果', hint: `请稍后${RETRY.zh}` },
    en: { title: 'The server answered with something unexpected', hint: `Wait a moment. ${RETRY.en}` },
  },
};

/** Codes a correct mini-program never meets (bad input, wrong endpoint): a bug, not the visitor's doing. */
const UNEXPECTED: Record<Language, Message> = {
  zh: { title: '出错了', hint: '请在电脑上刷新二维码再试；如果仍然出错，请联系网站。' },
  en: { title: 'Something went wrong', hint: 'Refresh the code on your computer and try again; if it keeps failing, contact the website.' },
};

export function messageFor(code: string, language: Language): Message {
  return (Object.prototype.hasOwnProperty.call(CATALOG, code) ? CATALOG[code] : UNEXPECTED)[language];
}

/** The codes with their own message, for tests and the README's list. */
export const MESSAGE_CODES: readonly string[] = Object.keys(CATALOG);

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
