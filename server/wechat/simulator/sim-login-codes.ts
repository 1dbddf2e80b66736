import type { Clock } from '../../core/clock';
import type { RandomBytes } from '../../core/random';
import { MINUTE_MS } from './quota';

/** As in WeChat, a wx.login code lives five minutes. */
export const CODE_LIFETIME_MS = 5 * MINUTE_MS;

export interface LoginCode {
  user: string;
  appid: string;
  issuedAt: number;
  used: boolean;
}

/** The codes wx.login handed out in the last five minutes. */
export class SimLoginCodes {
  /** In issue order, so the expired ones are always at the front. */
  private readonly codes = new Map<string, LoginCode>();

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomBytes,
  ) {}

  issue(user: string, appid: string): string {
    const now = this.clock.now();
    this.sweep(now);
    const code = this.random(24).toString('base64url');
    this.codes.set(code, { user, appid, issuedAt: now, used: false });
    return code;
  }

  /** The live code `code` of `appid`; WeChat answers a code of another app like an unknown one. */
  find(code: string, appid: string): LoginCode | undefined {
    const found = this.codes.get(code);
    if (found === undefined || found.appid !== appid) return undefined;
    if (this.clock.now() - found.issuedAt > CODE_LIFETIME_MS) return undefined;
    return found;
  }

  private sweep(now: number): void {
    for (const [code, entry] of this.codes) {
      if (now - entry.issuedAt <= CODE_LIFETIME_MS) break;
      this.codes.delete(code);
    }
  }
}
