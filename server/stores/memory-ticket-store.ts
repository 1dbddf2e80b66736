import type { Clock } from '../core/clock';
import type { Ticket } from '../core/ticket';
import type { TicketStore } from './ticket-store';

interface Entry {
  ticket: Ticket;
  retainUntil: number;
}

/**
 * The embedded ticket store: a Map in this process, swept on a timer.
 * Node runs one callback at a time and nothing here awaits between the version check
 * and the write, so compare-and-set is atomic without locks.
 */
export class MemoryTicketStore implements TicketStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock,
    sweepIntervalMs = 30_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  async create(ticket: Ticket, retainUntil: number): Promise<void> {
    if (this.entries.has(ticket.id)) throw new Error(`ticket ${ticket.id} already exists`);
    this.entries.set(ticket.id, { ticket, retainUntil });
  }

  async get(id: string): Promise<Ticket | undefined> {
    const entry = this.entries.get(id);
    if (!entry || entry.retainUntil <= this.clock.now()) return undefined;
    return entry.ticket;
  }

  async compareAndSet(next: Ticket, expectedVersion: number, retainUntil: number): Promise<boolean> {
    const entry = this.entries.get(next.id);
    if (!entry || entry.ticket.version !== expectedVersion) return false;
    this.entries.set(next.id, { ticket: next, retainUntil });
    return true;
  }

  /** Drops tickets past their retention. */
  sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.entries) {
      if (entry.retainUntil <= now) this.entries.delete(id);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
