import { formatTime, TEXTS } from '../../../../miniapp/src/scan-login/lib/texts';

describe('formatTime', () => {
  it("writes an ISO timestamp in the phone's local time", () => {
    const iso = '2025-11-25T04:03:09.000Z';
    const local = new Date(iso);
    const expected = [local.getFullYear(), local.getMonth() + 1, local.getDate()]
      .map((part) => String(part).padStart(2, '0'))
      .join('-');
    expect(formatTime(iso)).toMatch(new RegExp(`^${expected} \\d\\d:\\d\\d:09$`));
  });

  it('returns the input when it is not a date', () => {
    expect(formatTime('yesterday-ish')).toBe('yesterday-ish');
  });
});

describe('TEXTS', () => {
  it('names the site that asks, or says "a website"', () => {
    expect(TEXTS.en.asking('Example')).toBe('Example wants to log in with your WeChat');
    expect(TEXTS.en.asking(undefined)).toBe('A website wants to log in with your WeChat');
    expect(TEXTS.zh.asking(undefined).replace(/\u200b/g, '')).toBe('一个网站请求用你的微信登录');
    expect(TEXTS.zh.asking('Example').replace(/\u200b/g, '')).toBe('Example 请求用你的微信登录');
  });

  it('marks where the Chinese heading may wrap, never inside 微信登录', () => {
    // The title's CSS is `word-break: keep-all`: it wraps only at these marks and spaces.
    expect(TEXTS.zh.asking(undefined).split('\u200b')).toEqual(['一个网站', '请求', '用你的', '微信登录']);
    expect(TEXTS.zh.asking('Example').split(/\u200b| /)).toEqual(['Example', '请求', '用你的', '微信登录']);
  });

  it('calls the confirm button Confirm (确认), as the web page and README do', () => {
    expect([TEXTS.zh.confirm, TEXTS.en.confirm]).toEqual(['确认', 'Confirm']);
    for (const language of ['zh', 'en'] as const) expect(TEXTS[language].simulatorLogin).toContain(TEXTS[language].confirm);
  });

  it('says how long the code has left', () => {
    expect(TEXTS.en.timeLeft('1:05')).toBe('The code expires in 1:05');
    expect(TEXTS.zh.timeLeft('1:05')).toBe('二维码 1:05 后过期');
  });

  it('has the same labels in both languages', () => {
    expect(Object.keys(TEXTS.zh).sort()).toEqual(Object.keys(TEXTS.en).sort());
  });

  it('tells the visitor the outcome the contract names', () => {
    expect([TEXTS.zh.confirmed, TEXTS.en.confirmed]).toEqual(['已在电脑上登录', 'Logged in on your computer']);
  });
});
