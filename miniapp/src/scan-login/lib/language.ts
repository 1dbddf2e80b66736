export type Language = 'zh' | 'en';

/**
 * The page speaks Chinese unless the system language is English. WeChat reports `en`,
 * `zh_CN`, `zh_TW`; a browser (the H5 build) reports `en-US`, `zh-CN`.
 */
export function languageOf(systemLanguage: string | undefined): Language {
  return /^en(?:[-_]|$)/i.test(systemLanguage ?? '') ? 'en' : 'zh';
}

/** The language as a BCP 47 tag, for `<html lang>`: what screen readers and translators read. */
export function languageTag(language: Language): string {
  return language === 'en' ? 'en' : 'zh-CN';
}
