import type { EventBus, TicketClaim, TicketEvent, TicketEventHandler } from '../core/event-bus';

/** The bus of a single instance: every subscriber is in this process, nothing is ever missed. */
export class InProcessBus implements EventBus {
  private readonly handlers = new Set<TicketEventHandler>();
  private readonly claimHandlers = new Set<(claim: TicketClaim) => void>();

  async publish(event: TicketEvent): Promise<void> {
    for (const handler of this.handlers) handler(event);
  }

  subscribe(handler: TicketEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async claim(claim: TicketClaim): Promise<void> {
    for (const handler of this.claimHandlers) handler(claim);
  }

  onClaim(handler: (claim: TicketClaim) => void): () => void {
    this.claimHandlers.add(handler);
    return () => this.claimHandlers.delete(handler);
  }

  onReconnect(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.claimHandlers.clear();
  }
}
