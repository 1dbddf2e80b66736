import * as serverErrors from '../../../server/errors';
import { isRetryable } from '../../../miniapp/src/lib/confirm-flow';
import { ClientCode } from '../../../miniapp/src/lib/login-error';
import { MESSAGE_CODES, messageFor } from '../../../miniapp/src/lib/messages';

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
    expect(messageFor(code, 'zh').title).toBe(zh);
    expect(messageFor(code, 'en').title).toBe(en);
  });

  it('gives each code its own title in each language', () => {
    for (const language of ['zh', 'en'] as const) {
      const titles = MESSAGE_CODES.map((code) => messageFor(code, language).title);
      expect(new Set(titles).size).toBe(titles.length);
    }
  });

  it('writes the Chinese text in Chinese and the English text without Chinese', () => {
    for (const code of MESSAGE_CODES) {
      expect(messageFor(code, 'zh').title).toMatch(CJK);
      expect(messageFor(code, 'zh').hint).toMatch(CJK);
      expect(`${messageFor(code, 'en').title} ${messageFor(code, 'en').hint}`).not.toMatch(CJK);
    }
  });

  it('tells the visitor to retry exactly when retrying can help', () => {
    for (const code of MESSAGE_CODES) {
      expect([code, messageFor(code, 'zh').hint.includes('重试')]).toEqual([code, isRetryable(code)]);
      expect([code, /retry/i.test(messageFor(code, 'en').hint)]).toEqual([code, isRetryable(code)]);
    }
  });

  it('has a message for every client code and every server code the page can meet', () => {
    const expected = [...Object.values(ClientCode), ...serverCodes.filter((code) => !NOT_FOR_THE_PAGE.includes(code))];
    expect(serverCodes).toEqual(expect.arrayContaining(NOT_FOR_THE_PAGE));
    expect([...MESSAGE_CODES].sort()).toEqual(
      expected.filter((code) => code !== ClientCode.Unexpected).sort(),
    );
  });

  it('falls back to a generic message for a code without its own', () => {
    expect(messageFor('INVALID_REQUEST', 'en').title).toBe('Something went wrong');
    expect(messageFor('SOMETHING_NEW', 'zh').title).toBe('出错了');
    expect(messageFor('constructor', 'en').title).toBe('Something went wrong');
  });
});
