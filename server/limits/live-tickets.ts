import type { Clock } from '../core/clock';
import { AppError, RateLimited } from '../errors';
import { noMetrics, type Metrics } from '../metrics/metrics';

/** A place held for one ticket, from just before it is created until it ends or expires. */
export interface Slot {
  readonly key: string;
  readonly expiresAt: number;
  ticketId?: string;
  /** Its name in a shared store (Redis); a process's own slots are their own identity. */
  readonly id?: string;
}

/**
 * The live-ticket caps (MAX_LIVE_TICKETS_PER_IP, MAX_LIVE_TICKETS): in this process, or
 * shared by every instance (redis-live-tickets.ts). Refusals are RATE_LIMITED naming the
 * limit, with the wait until the oldest place frees.
 */
export interface LiveTicketCaps {
  /** Holds a place for a ticket of `key`, or rejects with RATE_LIMITED. */
  reserve(key: string): Promise<Slot>;
  /** Names the ticket that took the slot, so its end can free it. */
  bind(slot: Slot, ticketId: string): Promise<void>;
  /** The ticket ended (or was never created): its place is free. */
  release(slotOrTicketId: Slot | string): Promise<void>;
}

/** Builds the caps where they count: this process (below), or Redis with scale-out. */
export type LiveTicketFactory = (caps: { perKey: number; max: number; ticketTtlMs: number }, metrics: Metrics) => LiveTicketCaps;

export const memoryLiveTickets =
  (clock: Clock): LiveTicketFactory =>
  ({ perKey, max, ticketTtlMs }, metrics) =>
    new LiveTickets(perKey, max, ticketTtlMs, clock, metrics);

/**
 * Caps the tickets that are still open, per client and in all, so memory (and the store)
 * stays bounded whatever clients do: a bot that creates tickets as fast as its rate
 * limit allows still holds at most `perKey` of them at once.
 *
 * A slot is reserved before the ticket is created and released when the ticket ends
 * (confirmed, cancelled) or its lifetime runs out, so concurrent creates from one client
 * cannot slip past the cap between the check and the write. 0 lifts a cap.
 */
export class LiveTickets implements LiveTicketCaps {
  private readonly byKey = new Map<string, Set<Slot>>();
  private readonly byTicket = new Map<string, Slot>();
  private total = 0;

  constructor(
    private readonly perKey: number,
    private readonly max: number,
    private readonly ticketTtlMs: number,
    private readonly clock: Clock,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  get size(): number {
    return this.total;
  }

  private get counting(): boolean {
    return this.perKey > 0 || this.max > 0;
  }

  async reserve(key: string): Promise<Slot> {
    const now = this.clock.now();
    // Nothing to count against: holding every slot would only cost memory, and a pass
    // over one client's ever-growing set on each create.
    if (!this.counting) return { key, expiresAt: now + this.ticketTtlMs };
    const own = this.prune(key, now);
    if (this.perKey > 0 && own && own.size >= this.perKey) throw this.refuse('live-tickets-per-ip', [own], now);
    if (this.max > 0 && this.total >= this.max) {
      // Only at the cap is it worth a full pass to drop what expired unnoticed.
      for (const other of [...this.byKey.keys()]) this.prune(other, now);
      if (this.total >= this.max) throw this.refuse('live-tickets', this.byKey.values(), now);
    }
    const slot: Slot = { key, expiresAt: now + this.ticketTtlMs };
    const slots = own ?? new Set<Slot>();
    slots.add(slot);
    this.byKey.set(key, slots);
    this.total++;
    return slot;
  }

  async bind(slot: Slot, ticketId: string): Promise<void> {
    if (!this.counting) return;
    slot.ticketId = ticketId;
    this.byTicket.set(ticketId, slot);
  }

  async release(slotOrTicketId: Slot | string): Promise<void> {
    const slot = typeof slotOrTicketId === 'string' ? this.byTicket.get(slotOrTicketId) : slotOrTicketId;
    if (slot) this.remove(slot);
  }

  private refuse(limit: string, groups: Iterable<Set<Slot>>, now: number): AppError {
    this.metrics.limitHit(limit);
    let soonest = Infinity;
    for (const slots of groups) for (const slot of slots) soonest = Math.min(soonest, slot.expiresAt);
    return capRefusal(limit, soonest, now);
  }

  /** Drops the key's slots whose ticket has outlived its lifetime; what is left. */
  private prune(key: string, now: number): Set<Slot> | undefined {
    for (const slot of this.byKey.get(key) ?? []) if (slot.expiresAt <= now) this.remove(slot);
    return this.byKey.get(key);
  }

  private remove(slot: Slot): void {
    const slots = this.byKey.get(slot.key);
    if (!slots?.delete(slot)) return;
    this.total--;
    if (slot.ticketId) this.byTicket.delete(slot.ticketId);
    if (slots.size === 0) this.byKey.delete(slot.key);
  }
}

/** RATE_LIMITED naming the cap, with the wait until its oldest place (`soonest`) frees. */
export function capRefusal(limit: string, soonest: number, now: number): AppError {
  const error = new RateLimited('Too many codes are open at once. Use or close one, or wait for one to expire.', { limit });
  error.retryAfterSeconds = Math.max(1, Math.ceil((soonest - now) / 1000));
  return error;
}
