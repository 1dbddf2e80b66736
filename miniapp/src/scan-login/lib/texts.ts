import type { Language } from './language';

/** Every label of the confirm page, by language. Error messages live in messages.ts. */
export interface Texts {
  /** The confirm page's title: its navigation bar, and on H5 the document's title. */
  confirmTitle: string;
  scanning: string;
  asking: (site: string | undefined) => string;
  browser: string;
  os: string;
  ip: string;
  time: string;
  forwardedWarning: string;
  simulatorNotice: string;
  nicknameLabel: string;
  nicknamePlaceholder: string;
  /** The time the code has left, e.g. "1:05". */
  timeLeft: (duration: string) => string;
  confirm: string;
  cancel: string;
  retry: string;
  confirmed: string;
  confirmedHint: string;
  cancelled: string;
  cancelledHint: string;
  simUserLabel: string;
  simUserSave: string;
  simUserInvalid: string;
  simulatorLogin: string;
}

/** Zero-width space: a place where a line may break, in text that otherwise may not. */
const ZWSP = '\u200b';

export const TEXTS: Record<Language, Texts> = {
  zh: {
    confirmTitle: '确认登录',
    scanning: '正在读取登录请求…',
    // Word breaks (ZWSP) for the title's `word-break: keep-all`: it wraps between phrases, never inside 微信登录.
    asking: (site) => `${site ? `${site} ` : `一个网站${ZWSP}`}请求${ZWSP}用你的${ZWSP}微信登录`,
    browser: '浏览器',
    os: '系统',
    ip: 'IP',
    time: '时间',
    forwardedWarning:
      '注意：这个码是从聊天图片或相册里识别的，不是你当面扫的。如果二维码是别人发给你的，请不要确认——对方可能在冒用你的身份登录。',
    simulatorNotice: '微信为模拟环境——仅供演示。这次登录不经过真实微信，任何人都能以任意名字确认，请勿用于真实账号。',
    nicknameLabel: '昵称（可选）',
    nicknamePlaceholder: '填写或选择微信昵称',
    timeLeft: (duration) => `二维码 ${duration} 后过期`,
    confirm: '确认',
    cancel: '取消',
    retry: '重试',
    confirmed: '已在电脑上登录',
    confirmedHint: '可以关闭这个页面了。',
    cancelled: '已取消登录',
    cancelledHint: '电脑不会登录。',
    simUserLabel: '模拟的微信用户',
    simUserSave: '切换',
    simUserInvalid: '用户名为 1–32 个字母、数字或 _ . -',
    simulatorLogin: '服务器在模拟微信，所以点“确认”时，登录凭证由模拟器提供（代替 wx.login），以下面这个模拟用户的身份登录。',
  },
  en: {
    confirmTitle: 'Confirm login',
    scanning: 'Reading the login request…',
    asking: (site) => `${site ?? 'A website'} wants to log in with your WeChat`,
    browser: 'Browser',
    os: 'OS',
    ip: 'IP',
    time: 'Time',
    forwardedWarning:
      'Careful: this code was read from an image in a chat or your album, not scanned live. If someone sent it to you, do not confirm: they may be trying to log in as you.',
    simulatorNotice:
      'WeChat is simulated — demo only. This login does not go through real WeChat: anyone can confirm, under any name. Do not use it for real accounts.',
    nicknameLabel: 'Nickname (optional)',
    nicknamePlaceholder: 'Type or pick your WeChat nickname',
    timeLeft: (duration) => `The code expires in ${duration}`,
    confirm: 'Confirm',
    cancel: 'Cancel',
    retry: 'Retry',
    confirmed: 'Logged in on your computer',
    confirmedHint: 'You can close this page.',
    cancelled: 'Login cancelled',
    cancelledHint: 'The computer will not be logged in.',
    simUserLabel: 'Simulated WeChat user',
    simUserSave: 'Switch',
    simUserInvalid: 'A user name is 1–32 letters, digits or _ . -',
    simulatorLogin:
      'The server simulates WeChat, so "Confirm" gets its login code from the simulator instead of wx.login, and logs you in as the simulated user below.',
  },
};

/** A timestamp in the phone's local time, e.g. 2025-11-25 14:03:09; the input itself if it is not a date. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
