import type { LimitsConfig } from '../../config/config';
import type { Clock } from '../core/clock';
import { WeChatQuotaProtected } from '../errors';
import type { TicketLimits } from '../http/ticket-routes';
import { LiveTickets } from './live-tickets';
import { memoryLimiters, RateBudget, type LimiterFactory } from './rate-budget';

/** The budgets of README's Limits, built from their configuration. */
export function ticketLimits(
  limits: LimitsConfig,
  ticketTtlMs: number,
  clock: Clock,
  limiters: LimiterFactory = memoryLimiters,
): TicketLimits {
  // `undefined`: the budget's own refusal, 429 RATE_LIMITED naming it.
  return {
    tickets: new RateBudget('tickets-per-ip', limits.ticketsPerMinute, undefined, limiters),
    phone: new RateBudget('phone-requests-per-ip', limits.phoneRequestsPerMinute, undefined, limiters),
    codeImagesPerIp: new RateBudget('code-images-per-ip', limits.codeImagesPerMinutePerIp, undefined, limiters),
    wechatCodeFetches: new RateBudget(
      'wechat-code-fetches',
      limits.wechatCodeFetchesPerMinute,
      () => new WeChatQuotaProtected(undefined, { limit: 'wechat-code-fetches' }),
      limiters,
    ),
    live: new LiveTickets(limits.maxLiveTicketsPerIp, limits.maxLiveTickets, ticketTtlMs, clock),
  };
}
