import type { LimitsConfig } from '../../config/config';
import type { Clock } from '../core/clock';
import { WeChatQuotaProtected } from '../errors';
import type { TicketLimits } from '../http/ticket-routes';
import { LiveTickets } from './live-tickets';
import { RateBudget } from './rate-budget';

/** The budgets of README's Limits, built from their configuration. */
export function ticketLimits(limits: LimitsConfig, ticketTtlMs: number, clock: Clock): TicketLimits {
  return {
    tickets: new RateBudget('tickets-per-ip', limits.ticketsPerMinute),
    phone: new RateBudget('phone-requests-per-ip', limits.phoneRequestsPerMinute),
    codeImagesPerIp: new RateBudget('code-images-per-ip', limits.codeImagesPerMinutePerIp),
    wechatCodeFetches: new RateBudget(
      'wechat-code-fetches',
      limits.wechatCodeFetchesPerMinute,
      () => new WeChatQuotaProtected(undefined, { limit: 'wechat-code-fetches' }),
    ),
    live: new LiveTickets(limits.maxLiveTicketsPerIp, limits.maxLiveTickets, ticketTtlMs, clock),
  };
}
