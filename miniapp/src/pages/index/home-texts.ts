import type { Language } from '../../scan-login/lib/language';

/** The home page's words, by language; the simulated-user panel brings its own (scan-login's texts). */
export interface HomeTexts {
  title: string;
  intro: string;
  steps: string[];
  safety: string;
  /** H5 only: what this build is. */
  simulatorNote: string;
}

export const HOME_TEXTS: Record<Language, HomeTexts> = {
  zh: {
    title: '扫码登录',
    intro: '用这个小程序，扫一下电脑网页上的二维码，就能在电脑上登录，不用输入密码。',
    steps: [
      '在电脑上打开网站的登录页，页面会显示一个二维码。',
      '打开微信“扫一扫”，扫描这个二维码。',
      '核对请求登录的浏览器、系统和时间，点“确认”。',
    ],
    safety: '只扫你自己电脑上的二维码。别人发来的二维码，请不要确认。',
    simulatorNote:
      '这是小程序的网页版（H5），是本地模拟器里的“手机”：用手机相机扫电脑网页上的二维码，就会在手机浏览器里打开确认页。',
  },
  en: {
    title: 'Scan to log in',
    intro: 'Scan the code on a web page with this mini-program to log in on your computer, no password needed.',
    steps: [
      "Open the website's login page on your computer; it shows a code.",
      'Scan the code with WeChat (Discover → Scan).',
      'Check the browser, OS and time of the request, then tap "Confirm".',
    ],
    safety: 'Only scan codes on your own screen. Never confirm a code someone sent you.',
    simulatorNote:
      "This is the mini-program's web (H5) build, the phone side of the local simulator: scan the code on the web page with your phone's camera to open the confirm page in the phone's browser.",
  },
};
