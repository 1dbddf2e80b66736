import type { TicketStatus } from '../core/ticket';

/** "This ticket changed": all a push needs; sockets re-read the ticket for anything else. */
export interface TicketEvent {
  ticketId: string;
  status: TicketStatus;
}

export type TicketEventHandler = (event: TicketEvent) => void;

/**
 * Carries ticket changes to every process that may hold the page's socket. In-process by
 * default; Redis pub/sub when the tickets are shared between instances.
 */
export interface EventBus {
  publish(event: TicketEvent): void;
  subscribe(handler: TicketEventHandler): () => void;
  close(): Promise<void>;
}

export class InProcessBus implements EventBus {
  private readonly handlers = new Set<TicketEventHandler>();

  publish(event: TicketEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  subscribe(handler: TicketEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
