import type { Clock } from '../../core/clock';
import type { RandomBytes } from '../../core/random';
import { Errcode } from '../wechat-errcodes';
import { BEIJING_OFFSET_MS, DAY_MS, MINUTE_MS, Quota } from './quota';

const LIFETIME_MS = 7200_000;
/** Both endpoints keep a replaced token working this long, and stable_token renews within it. */
const OVERLAP_MS = 5 * MINUTE_MS;
const FORCE_REFRESH_GAP_MS = 30_000;
const FORCE_REFRESHES_PER_DAY = 20;
/** Dead tokens are remembered a while so their callers hear 42001/40001 as from WeChat. */
const RETENTION_MS = DAY_MS;

export type TokenCheck = 'valid' | typeof Errcode.INVALID_CREDENTIAL | typeof Errcode.ACCESS_TOKEN_EXPIRED;

export interface IssuedAccessToken {
  access_token: string;
  expires_in: number;
}

interface TokenRecord {
  expiresAt: number;
  /** when a newer token or force_refresh logged it out: answered with 40001, not 42001 */
  revokedAt: number;
}

/**
 * The simulated app's access tokens from both endpoints, which WeChat keeps apart: a fetch
 * from one never logs out a token of the other.
 */
export class SimAccessTokens {
  private readonly records = new Map<string, TokenRecord>();
  private readonly stableTokens = new Set<string>();
  private currentStable?: string;
  private currentLegacy?: string;
  private readonly forceRefreshes: Quota;
  private lastForceRefreshAt = -Infinity;
  private lastSweepAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomBytes,
    /** WeChat's force_refresh rule: 20 a day, 30 s apart */
    private readonly limitForceRefresh: boolean,
  ) {
    this.forceRefreshes = new Quota(clock, FORCE_REFRESHES_PER_DAY, DAY_MS, BEIJING_OFFSET_MS);
    this.lastSweepAt = clock.now();
  }

  /**
   * stable_token: the same token until its last five minutes, then a new one while the old
   * one lives out its time. force_refresh logs out every earlier stable token at once.
   */
  stable(forceRefresh: boolean): IssuedAccessToken | typeof Errcode.DAILY_QUOTA {
    const now = this.clock.now();
    if (forceRefresh) {
      if (this.limitForceRefresh) {
        if (now - this.lastForceRefreshAt < FORCE_REFRESH_GAP_MS) return Errcode.DAILY_QUOTA;
        if (!this.forceRefreshes.take('force_refresh')) return Errcode.DAILY_QUOTA;
      }
      this.lastForceRefreshAt = now;
      for (const token of this.stableTokens) this.revoke(token, now);
      this.stableTokens.clear();
    } else if (this.currentStable !== undefined) {
      const current = this.records.get(this.currentStable);
      if (current !== undefined && current.revokedAt > now && current.expiresAt - now > OVERLAP_MS) {
        return { access_token: this.currentStable, expires_in: Math.floor((current.expiresAt - now) / 1000) };
      }
    }
    this.currentStable = this.issue(now);
    this.stableTokens.add(this.currentStable);
    return { access_token: this.currentStable, expires_in: LIFETIME_MS / 1000 };
  }

  /** cgi-bin/token: every fetch issues a new token and gives the previous one five more minutes. */
  legacy(): IssuedAccessToken {
    const now = this.clock.now();
    if (this.currentLegacy !== undefined) this.revoke(this.currentLegacy, now + OVERLAP_MS);
    this.currentLegacy = this.issue(now);
    return { access_token: this.currentLegacy, expires_in: LIFETIME_MS / 1000 };
  }

  check(token: string): TokenCheck {
    const record = this.records.get(token);
    const now = this.clock.now();
    if (record === undefined || record.revokedAt <= now) return Errcode.INVALID_CREDENTIAL;
    if (record.expiresAt <= now) return Errcode.ACCESS_TOKEN_EXPIRED;
    return 'valid';
  }

  private issue(now: number): string {
    this.sweep(now);
    const token = this.random(96).toString('base64url');
    this.records.set(token, { expiresAt: now + LIFETIME_MS, revokedAt: Infinity });
    return token;
  }

  private revoke(token: string, at: number): void {
    const record = this.records.get(token);
    if (record !== undefined) record.revokedAt = Math.min(record.revokedAt, at);
  }

  private sweep(now: number): void {
    if (now - this.lastSweepAt < MINUTE_MS) return;
    this.lastSweepAt = now;
    for (const [token, record] of this.records) {
      if (Math.min(record.expiresAt, record.revokedAt) + RETENTION_MS < now) {
        this.records.delete(token);
        this.stableTokens.delete(token);
      }
    }
  }
}
