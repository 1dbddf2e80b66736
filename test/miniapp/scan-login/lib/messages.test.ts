import * as serverErrors from '../../../../server/errors';
import { isRetryable } from '../../../../miniapp/src/scan-login/lib/confirm-flow';
import { ClientCode } from '../../../../miniapp/src/scan-login/lib/login-error';
import { MESSAGE_CODES, messageFor } from '../../../../miniapp/src/scan-login/lib/messages';
import { TEXTS } from '../../../../miniapp/src/scan-login/lib/texts';

const CJK = /[\u4e00-\u9fff]/;

/** Codes a correct mini-program cannot provoke; they share the generic message. */
const NOT_FOR_THE_PAGE = [
  'INVALID_JSON',
  'INVALID_REQUEST',
  'SECRET_INVALID',
  'TOKEN_INVALID',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  // The answer to a request the client itself cut off: nobody is left to read it.
  'REQUEST_ABORTED',
  // The app-wide budget of code-image fetches: the web page meets it, never the phone.
  'WECHAT_QUOTA_PROTECTED',
  // The web site's drop-in <script> (GET …/scan-login.js) missing from its server: the phone never asks for it.
  'BROWSER_SCRIPT_NOT_BUILT',
  // The OpenID Connect interaction page's own calls (/oidc/interaction/…), made by the browser.
  'INTERACTION_NOT_FOUND',
  'OIDC_PAGE_NOT_BUILT',
  // A Prometheus scraper's refusal at /metrics: no page asks for it.
  'METRICS_TOKEN_INVALID',
];

const serverCodes = Object.values(serverErrors)
  .map((value) => (typeof value === 'function' && 'code' in value ? String(value.code) : undefined))
  .filter((code): code is string => code !== undefined);

describe('messageFor', () => {
  it.each([
    ['TICKET_EXPIRED', '二维码已过期', 'This code has expired'],
    ['TICKET_CONSUMED', '二维码已被使用', 'This code has already been used'],
    ['TICKET_CANCELLED', '这次登录已取消', 'This login was cancelled'],
    ['TICKET_ALREADY_SCANNED', '二维码已被扫过', 'Someone has already scanned this code'],
    ['TICKET_NOT_FOUND', '找不到这次登录', 'This login could not be found'],
    ['WECHAT_CODE_INVALID', '微信登录凭证无效', 'WeChat did not accept the login'],
    ['WECHAT_UNAVAILABLE', '暂时连不上微信', 'WeChat cannot be reached right now'],
    ['WECHAT_TIMEOUT', '微信响应超时', 'WeChat did not answer in time'],
    ['WECHAT_QUOTA_EXCEEDED', '登录请求太多了', 'Too many logins right now'],
    ['NETWORK_ERROR', '网络连接失败', 'No connection to the server'],
  ])('explains %s in Chinese and in English', (code, zh, en) => {
    expect(messageFor(code, 'zh', TEXTS.zh.retry).title).toBe(zh);
    expect(messageFor(code, 'en', TEXTS.en.retry).title).toBe(en);
  });

  it('gives each code its own title in each language', () => {
    for (const language of ['zh', 'en'] as const) {
      const titles = MESSAGE_CODES.map((code) => messageFor(code, language, TEXTS[language].retry).title);
      expect(new Set(titles).size).toBe(titles.length);
    }
  });

  it('writes the Chinese text in Chinese and the English text without Chinese', () => {
    for (const code of MESSAGE_CODES) {
      const zh = messageFor(code, 'zh', TEXTS.zh.confirm);
      const en = messageFor(code, 'en', TEXTS.en.confirm);
      expect(zh.title).toMatch(CJK);
      expect(zh.hint).toMatch(CJK);
      expect(`${en.title} ${en.hint}`).not.toMatch(CJK);
    }
  });

  it.each(['confirm', 'cancel', 'retry'] as const)(
    'names the button that tries again (here %s) exactly when retrying can help',
    (button) => {
      for (const code of MESSAGE_CODES) {
        for (const language of ['zh', 'en'] as const) {
          const label = TEXTS[language][button];
          const quoted = language === 'zh' ? `“${label}”` : `"${label}"`;
          const named = messageFor(code, language, label).hint.includes(quoted);
          expect([code, language, named]).toEqual([code, language, isRetryable(code)]);
        }
      }
    },
  );

  it('says 请 at most once a sentence, and after a confirm names no 重试 button (the page shows none then)', () => {
    for (const code of MESSAGE_CODES) {
      const hint = messageFor(code, 'zh', TEXTS.zh.confirm).hint;
      const doubled = hint.split('。').filter((sentence) => sentence.split('请').length > 2);
      expect([code, doubled, hint.includes('重试')]).toEqual([code, [], false]);
    }
  });

  it('tells a second confirm that the first is under way, its WeChat code unused, and to tap Confirm if still needed', () => {
    expect(messageFor('TICKET_CONFIRMING', 'en', TEXTS.en.confirm)).toEqual({
      title: 'This login is being confirmed already',
      hint:
        'Another confirm of it (perhaps the one from before the page reloaded) is still under way; your WeChat login was not used. Wait a few seconds, and if your computer is not logged in, tap "Confirm" again.',
    });
  });

  it('has a message for every client code and every server code the page can meet', () => {
    const expected = [...Object.values(ClientCode), ...serverCodes.filter((code) => !NOT_FOR_THE_PAGE.includes(code))];
    expect(serverCodes).toEqual(expect.arrayContaining(NOT_FOR_THE_PAGE));
    expect([...MESSAGE_CODES].sort()).toEqual(
      expected.filter((code) => code !== ClientCode.Unexpected).sort(),
    );
  });

  it('falls back to a generic message for a code without its own', () => {
    expect(messageFor('INVALID_REQUEST', 'en', TEXTS.en.retry).title).toBe('Something went wrong');
    expect(messageFor('SOMETHING_NEW', 'zh', TEXTS.zh.retry).title).toBe('出错了');
    expect(messageFor('constructor', 'en', TEXTS.en.retry).title).toBe('Something went wrong');
  });
});
