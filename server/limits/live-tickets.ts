import type { Clock } from '../core/clock';
import { AppError, RateLimited } from '../errors';

/** A place held for one ticket, from just before it is created until it ends or expires. */
export interface Slot {
  readonly key: string;
  readonly expiresAt: number;
  ticketId?: string;
}

/**
 * Caps the tickets that are still open, per client and in all, so memory (and the store)
 * stays bounded whatever clients do: a bot that creates tickets as fast as its rate
 * limit allows still holds at most `perKey` of them at once.
 *
 * A slot is reserved before the ticket is created and released when the ticket ends
 * (confirmed, cancelled) or its lifetime runs out, so concurrent creates from one client
 * cannot slip past the cap between the check and the write. 0 lifts a cap.
 */
export class LiveTickets {
  private readonly byKey = new Map<string, Set<Slot>>();
  private readonly byTicket = new Map<string, Slot>();
  private total = 0;

  constructor(
    private readonly perKey: number,
    private readonly max: number,
    private readonly ticketTtlMs: number,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.total;
  }

  /** Holds a place for a ticket of `key`, or throws RATE_LIMITED with the wait until one frees. */
  reserve(key: string): Slot {
    const now = this.clock.now();
    const own = this.prune(key, now);
    if (this.perKey > 0 && own && own.size >= this.perKey) throw refusal('live-tickets-per-ip', [own], now);
    if (this.max > 0 && this.total >= this.max) {
      // Only at the cap is it worth a full pass to drop what expired unnoticed.
      for (const other of [...this.byKey.keys()]) this.prune(other, now);
      if (this.total >= this.max) throw refusal('live-tickets', this.byKey.values(), now);
    }
    const slot: Slot = { key, expiresAt: now + this.ticketTtlMs };
    const slots = own ?? new Set<Slot>();
    slots.add(slot);
    this.byKey.set(key, slots);
    this.total++;
    return slot;
  }

  /** Names the ticket that took the slot, so its end can free it. */
  bind(slot: Slot, ticketId: string): void {
    slot.ticketId = ticketId;
    this.byTicket.set(ticketId, slot);
  }

  /** The ticket ended (or was never created): its place is free. */
  release(slotOrTicketId: Slot | string): void {
    const slot = typeof slotOrTicketId === 'string' ? this.byTicket.get(slotOrTicketId) : slotOrTicketId;
    if (slot) this.remove(slot);
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

function refusal(limit: string, groups: Iterable<Set<Slot>>, now: number): AppError {
  let soonest = Infinity;
  for (const slots of groups) for (const slot of slots) soonest = Math.min(soonest, slot.expiresAt);
  const error = new RateLimited('Too many codes are open at once. Use or close one, or wait for one to expire.', { limit });
  error.retryAfterSeconds = Math.max(1, Math.ceil((soonest - now) / 1000));
  return error;
}
