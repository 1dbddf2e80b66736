import type { Ticket } from '../core/ticket';

/**
 * Where tickets live. The embedded implementation is in-process (memory-ticket-store.ts);
 * a shared one (Redis) lets a page's socket sit on one instance while the confirm lands
 * on another. Every write after `create` is a compare-and-set on `version`, which is what
 * makes each single-use step (scan ownership, confirm, token delivery) happen once.
 */
export interface TicketStore {
  /** Stores a new ticket, kept until `retainUntil` (ms since the epoch). */
  create(ticket: Ticket, retainUntil: number): Promise<void>;
  get(id: string): Promise<Ticket | undefined>;
  /**
   * Replaces the ticket only if its stored version is still `expectedVersion`.
   * Returns false when another writer got there first (or the ticket is gone).
   */
  compareAndSet(next: Ticket, expectedVersion: number, retainUntil: number): Promise<boolean>;
  close(): Promise<void>;
}
