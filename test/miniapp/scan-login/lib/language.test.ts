import { languageOf, languageTag } from '../../../../miniapp/src/scan-login/lib/language';

describe('languageOf', () => {
  it('speaks English when WeChat or the browser says English', () => {
    for (const tag of ['en', 'en_US', 'en-US', 'EN-gb']) expect(languageOf(tag)).toBe('en');
  });

  it('speaks Chinese otherwise', () => {
    for (const tag of ['zh_CN', 'zh-TW', 'zh_HK', 'ja', 'eng', '', undefined]) expect(languageOf(tag)).toBe('zh');
  });
});

describe('languageTag', () => {
  it('gives <html lang> a BCP 47 tag', () => {
    expect([languageTag('zh'), languageTag('en')]).toEqual(['zh-CN', 'en']);
  });
});
