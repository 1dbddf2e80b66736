import type { Ticket, TicketStatus } from './ticket';

/** "This ticket changed": all a push needs; sockets re-read the ticket for anything else. */
export interface TicketEvent {
  ticketId: string;
  status: TicketStatus;
  /**
   * The ticket as the change left it, handed to this process's own subscribers only (it
   * never crosses to another instance): the socket waiting here pushes at once instead of
   * reading back what was just written.
   */
  ticket?: Ticket;
}

export type TicketEventHandler = (event: TicketEvent) => void;

/** "A page's socket now waits for this ticket here": whoever held it before lets go (4409). */
export interface TicketClaim {
  ticketId: string;
  /** Unique per socket across instances. */
  claimant: string;
}

/**
 * Carries ticket changes, and which socket waits for a ticket, to every process that may
 * hold a page's socket: in-process by default (push/in-process-bus.ts), Redis pub/sub
 * when instances share the tickets (push/redis-bus.ts). Delivery is at most once: a
 * socket reads the ticket's snapshot when it subscribes, and again after `onReconnect`,
 * so a lost message delays nothing for long. `publish` never rejects: the change it
 * announces is already stored.
 */
export interface EventBus {
  publish(event: TicketEvent): Promise<void>;
  subscribe(handler: TicketEventHandler): () => void;
  claim(claim: TicketClaim): Promise<void>;
  onClaim(handler: (claim: TicketClaim) => void): () => void;
  /** Called after the bus lost its connection and got it back: messages may have been missed. */
  onReconnect(handler: () => void): () => void;
  close(): Promise<void>;
}
