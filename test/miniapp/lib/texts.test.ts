import { formatTime, TEXTS } from '../../../miniapp/src/lib/texts';

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
    expect(TEXTS.zh.asking(undefined)).toBe('一个网站请求用你的微信登录');
  });

  it('has the same labels in both languages', () => {
    expect(Object.keys(TEXTS.zh).sort()).toEqual(Object.keys(TEXTS.en).sort());
  });

  it('tells the visitor the outcome the contract names', () => {
    expect([TEXTS.zh.confirmed, TEXTS.en.confirmed]).toEqual(['已在电脑上登录', 'Logged in on your computer']);
  });
});
