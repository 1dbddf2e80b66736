import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { capRefusal, type LiveTicketCaps, type Slot } from '../limits/live-tickets';
import { noMetrics, type Metrics } from '../metrics/metrics';
import { luaScript, type RedisConnection } from './redis-connection';

/*
 * A sorted set per client key and one for all, members the slots, scores their expiry:
 * what expired is dropped by score before counting, so a slot nobody released still frees
 * itself. Check and add are one script: two instances cannot both take a client's last place.
 * Each set expires a ticket lifetime after its newest slot, when all of them have.
 */
const RESERVE = luaScript(`
local now, expiresAt, slot = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local perKey, max, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
if perKey > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= perKey then
    return {'live-tickets-per-ip', redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]}
  end
end
if max > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= max then
    return {'live-tickets', redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]}
  end
  redis.call('ZADD', KEYS[2], expiresAt, slot)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
if perKey > 0 then
  redis.call('ZADD', KEYS[1], expiresAt, slot)
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {'ok'}
`);

// The ticket's end names only the ticket: its binding says which client's place it held.
const RELEASE_TICKET = luaScript(`
local bound = redis.call('GET', KEYS[1])
if not bound then return 0 end
redis.call('DEL', KEYS[1])
local at = string.find(bound, ' ', 1, true)
local key, slot = string.sub(bound, 1, at - 1), string.sub(bound, at + 1)
redis.call('ZREM', ARGV[1] .. key, slot)
redis.call('ZREM', KEYS[2], slot)
return 1
`);

/** The live-ticket caps counted in the shared Redis: N instances allow one cap, not N. */
export class RedisLiveTickets implements LiveTicketCaps {
  constructor(
    private readonly redis: RedisConnection,
    private readonly perKey: number,
    private readonly max: number,
    private readonly ticketTtlMs: number,
    private readonly clock: Clock,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  /** Lifted caps cost no Redis command at all. */
  private get counting(): boolean {
    return this.perKey > 0 || this.max > 0;
  }

  async reserve(key: string): Promise<Slot> {
    const now = this.clock.now();
    const slot: Slot = { key, expiresAt: now + this.ticketTtlMs, id: randomUUID() };
    if (!this.counting) return slot;
    const args = [now, slot.expiresAt, slot.id, this.perKey, this.max, this.ticketTtlMs].map(String);
    const [outcome, soonest] = (await this.redis.run(RESERVE, [this.keyOf(key), this.all], args)) as [string, string?];
    if (outcome === 'ok') return slot;
    this.metrics.limitHit(outcome);
    throw capRefusal(outcome, Number(soonest), now);
  }

  async bind(slot: Slot, ticketId: string): Promise<void> {
    if (!this.counting) return;
    const ttl = Math.max(1, slot.expiresAt - this.clock.now());
    await this.redis.call((client) => client.set(this.bindingOf(ticketId), `${slot.key} ${slot.id}`, { expiration: { type: 'PX', value: ttl } }));
  }

  async release(slotOrTicketId: Slot | string): Promise<void> {
    if (!this.counting) return;
    if (typeof slotOrTicketId === 'string') {
      await this.redis.run(RELEASE_TICKET, [this.bindingOf(slotOrTicketId), this.all], [this.keyOf('')]);
      return;
    }
    const { key, id } = slotOrTicketId;
    await this.redis.call((client) => client.multi().zRem(this.keyOf(key), id!).zRem(this.all, id!).exec());
  }

  private get all(): string {
    return `${this.redis.prefix}live:all`;
  }

  private keyOf(key: string): string {
    return `${this.redis.prefix}live:ip:${key}`;
  }

  private bindingOf(ticketId: string): string {
    return `${this.redis.prefix}live:ticket:${ticketId}`;
  }
}
