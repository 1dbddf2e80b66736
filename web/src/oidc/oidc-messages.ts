import type { Locale } from '../react/messages';

/**
 * A heading in the pieces a line may break between (see the page's Heading), with the
 * client's name as whatever the caller passes: an element on the page, text in the title.
 */
type Title = <Name>(client: Name) => readonly (string | Name)[];

/** The interaction page's own texts, around the ScanLogin component's. */
export interface OidcMessages {
  loginTitle: Title;
  consentTitle: Title;
  loading: string;
  /** Said while the browser is sent back to the client. */
  leaving: (client: string) => string;
  consentIntro: string;
  /** What each scope gives the client; a scope not listed is shown by its name. */
  scopes: Record<string, string>;
  allow: string;
  deny: string;
}

export const oidcMessages: Record<Locale, OidcMessages> = {
  en: {
    loginTitle: (client) => ['Log in to ', client, ' with WeChat'],
    consentTitle: (client) => ['Allow ', client, ' access?'],
    loading: 'Loading…',
    leaving: (client) => `Taking you back to ${client}…`,
    consentIntro: 'It will receive:',
    scopes: {
      openid: 'Your account id at this site',
      profile: 'Your nickname and avatar',
    },
    allow: 'Allow',
    deny: 'Deny',
  },
  zh: {
    loginTitle: (client) => ['使用微信', '登录 ', client],
    consentTitle: (client) => ['允许 ', client, ' 访问', '你的账号？'],
    loading: '正在加载…',
    leaving: (client) => `正在返回 ${client}…`,
    consentIntro: '它将获得：',
    scopes: {
      openid: '你在本站的账号 ID',
      profile: '你的昵称和头像',
    },
    allow: '允许',
    deny: '拒绝',
  },
};

/** What granting `scope` gives the client, in words; an unknown scope by its own name. */
export function scopeText(om: OidcMessages, scope: string): string {
  return Object.hasOwn(om.scopes, scope) ? om.scopes[scope] : scope;
}
