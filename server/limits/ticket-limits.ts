import type { LimitsConfig } from '../../config/config';
import { WeChatQuotaProtected } from '../errors';
import type { TicketLimits } from '../http/ticket-routes';
import { noMetrics, type Metrics } from '../metrics/metrics';
import type { LiveTicketFactory } from './live-tickets';
import { memoryLimiters, RateBudget, type LimiterFactory } from './rate-budget';

/** The budgets of README's Limits, built from their configuration. */
export function ticketLimits(
  limits: LimitsConfig,
  ticketTtlMs: number,
  liveTickets: LiveTicketFactory,
  limiters: LimiterFactory = memoryLimiters,
  metrics: Metrics = noMetrics,
): TicketLimits {
  // `undefined`: the budget's own refusal, 429 RATE_LIMITED naming it.
  return {
    tickets: new RateBudget('tickets-per-ip', limits.ticketsPerMinute, undefined, limiters, metrics),
    phone: new RateBudget('phone-requests-per-ip', limits.phoneRequestsPerMinute, undefined, limiters, metrics),
    codeImagesPerIp: new RateBudget('code-images-per-ip', limits.codeImagesPerMinutePerIp, undefined, limiters, metrics),
    wechatCodeFetches: new RateBudget(
      'wechat-code-fetches',
      limits.wechatCodeFetchesPerMinute,
      () => new WeChatQuotaProtected(undefined, { limit: 'wechat-code-fetches' }),
      limiters,
      metrics,
    ),
    live: liveTickets({ perKey: limits.maxLiveTicketsPerIp, max: limits.maxLiveTickets, ticketTtlMs }, metrics),
  };
}
