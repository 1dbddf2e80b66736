import type { Locale } from '../react/messages';

/** The standalone page's own texts, around the ScanLogin component's. */
export interface PageMessages {
  /**
   * The page title in the pieces a line may break between: Chinese has no spaces, and a
   * heading free to break anywhere splits words (登|录).
   */
  title: readonly string[];
  logout: string;
  unnamedUser: string;
  avatarAlt: (name: string) => string;
  /** The language switch is labelled in the language it switches to. */
  switchLabel: string;
}

export const pageMessages: Record<Locale, PageMessages> = {
  en: {
    title: ['Log in with WeChat'],
    logout: 'Log out',
    unnamedUser: 'WeChat user',
    avatarAlt: (name) => `Avatar of ${name}`,
    switchLabel: '中文',
  },
  zh: {
    title: ['微信', '扫码登录'],
    logout: '退出登录',
    unnamedUser: '微信用户',
    avatarAlt: (name) => `${name} 的头像`,
    switchLabel: 'English',
  },
};
