import { TicketNotFound } from '../errors';
import type { LoginOutcome, Metrics } from '../metrics/metrics';
import type { TicketStore } from '../stores/ticket-store';
import type { Clock } from './clock';
import type { EventBus } from './event-bus';
import { ID_PATTERN } from './random';
import { isDue, statusOf, Ticket, TicketEvent, TicketStatus, transition } from './ticket';

/** The statuses that end a login attempt, as logins_total names them. */
const OUTCOMES: Partial<Record<TicketStatus, LoginOutcome>> = { confirmed: 'confirmed', cancelled: 'cancelled', expired: 'expired' };

/**
 * Tickets as the login flow changes them: every change one pure `transition`, stored
 * with compare-and-set on `version`, and published when the status moved. The layer
 * under LoginService; it knows the rules of a ticket, not the flow.
 */
export class TicketLedger {
  constructor(
    private readonly deps: { tickets: TicketStore; bus: EventBus; clock: Clock; retainMs: number; metrics?: Metrics },
  ) {}

  async create(ticket: Ticket): Promise<void> {
    await this.deps.tickets.create(ticket, this.retainUntil(ticket));
  }

  /** The stored ticket as it is, not expired on read; undefined for an id that cannot exist. */
  async peek(id: string): Promise<Ticket | undefined> {
    // An id that cannot have been issued is simply unknown; no need to ask the store.
    return ID_PATTERN.test(id) ? this.deps.tickets.get(id) : undefined;
  }

  /** The ticket as it stands now, expiring it first if its time is up. */
  async find(id: string): Promise<Ticket> {
    const ticket = await this.peek(id);
    if (!ticket) throw new TicketNotFound();
    if (!isDue(ticket, this.deps.clock.now())) return ticket;
    // Whoever notices first expires it; a lost race means someone else just did.
    return (await this.apply(ticket, { type: 'expire' })) ?? this.find(id);
  }

  /** Throws why the event cannot happen to this ticket now, if it cannot. */
  check(ticket: Ticket, event: TicketEvent): Ticket {
    const result = transition(ticket, event, this.deps.clock.now());
    if (!result.ok) throw result.error;
    return result.ticket;
  }

  /** Applies the event or throws why not; a lost race is re-judged on the fresh ticket. */
  async commit(ticket: Ticket, event: TicketEvent): Promise<Ticket> {
    this.check(ticket, event);
    const next = await this.apply(ticket, event);
    if (next) return next;
    const fresh = await this.find(ticket.id);
    this.check(fresh, event);
    // The fresh ticket would allow it, so the race was with an unrelated write: retry.
    return this.commit(fresh, event);
  }

  /** One compare-and-set; publishes the change. Undefined when refused or raced. */
  async apply(ticket: Ticket, event: TicketEvent): Promise<Ticket | undefined> {
    const result = transition(ticket, event, this.deps.clock.now());
    if (!result.ok) return undefined;
    const next = result.ticket;
    if (!(await this.deps.tickets.compareAndSet(next, ticket.version, this.retainUntil(next)))) return undefined;
    const status = statusOf(next);
    // Reservations and deliveries are invisible to the page: only a new status is news.
    if (status === statusOf(ticket)) return next;
    // Counted by the instance whose compare-and-set won, never from the bus: with Redis
    // every instance hears every change, and the instances' sums must count each login once.
    const outcome = OUTCOMES[status];
    if (outcome) this.deps.metrics?.login(outcome);
    await this.deps.bus.publish({ ticketId: next.id, status, ticket: next });
    return next;
  }

  private retainUntil(ticket: Ticket): number {
    return ticket.expiresAt + this.deps.retainMs;
  }
}
