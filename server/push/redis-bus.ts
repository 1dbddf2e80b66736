import type { Logger } from 'pino';
import type { EventBus, TicketClaim, TicketEvent, TicketEventHandler } from '../core/event-bus';
import type { TicketStatus } from '../core/ticket';

/** What the bus needs of a node-redis client that publishes. */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * What it needs of the one that subscribes: node-redis puts a client into subscriber mode
 * for good, so it is a connection of its own. node-redis resubscribes after a reconnect
 * and says `ready` again, which is when messages may have been lost.
 */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  on(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

const STATUSES: ReadonlySet<string> = new Set<TicketStatus>(['pending', 'scanned', 'confirmed', 'cancelled', 'expired']);

/** The channel ticket changes travel on, for the bus and for a store that announces them itself. */
export function ticketEventsChannel(prefix: string): string {
  return `${prefix}ticket-events`;
}

/** A ticket change as it travels: the id and the status, nothing else. */
export function ticketEventMessage(ticketId: string, status: TicketStatus): string {
  return JSON.stringify({ ticketId, status });
}

export interface RedisBusOptions {
  /**
   * The ticket store announces each change of status on the channel from inside its
   * compare-and-set (RedisTicketStore's `announceChanges`): `publish` then only tells this
   * instance's subscribers, and nothing is said twice.
   */
  storeAnnounces?: boolean;
}

function parse(message: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ticket changes and claims over Redis pub/sub, for instances that share their tickets.
 * Only `{ticketId, status}` and `{ticketId, claimant}` travel: no token, no secret, nothing
 * a reader of the channel could use; the receiving instance reads the ticket itself.
 */
export class RedisBus implements EventBus {
  private readonly handlers = new Set<TicketEventHandler>();
  private readonly claimHandlers = new Set<(claim: TicketClaim) => void>();
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly events: string;
  private readonly claims: string;
  private everReady = false;

  private constructor(
    private readonly publisher: RedisPublisher,
    private readonly subscriber: RedisSubscriber,
    prefix: string,
    private readonly log: Logger,
    private readonly storeAnnounces: boolean,
  ) {
    this.events = ticketEventsChannel(prefix);
    this.claims = `${prefix}ticket-claims`;
  }

  /** Subscribes before it returns, so nothing published after start-up is missed. */
  static async start(
    publisher: RedisPublisher,
    subscriber: RedisSubscriber,
    prefix: string,
    log: Logger,
    options: RedisBusOptions = {},
  ): Promise<RedisBus> {
    const bus = new RedisBus(publisher, subscriber, prefix, log, options.storeAnnounces ?? false);
    subscriber.on('ready', bus.onReady);
    await subscriber.subscribe(bus.events, (message) => bus.deliverEvent(message));
    await subscriber.subscribe(bus.claims, (message) => bus.deliverClaim(message));
    bus.everReady = true;
    return bus;
  }

  /**
   * This instance's subscribers hear the change at once, with the ticket, rather than after
   * a round trip through Redis: the page waiting here is pushed to before the phone's
   * request is even answered. The echo that comes back is the same status again, which
   * every subscriber takes as nothing new.
   */
  async publish(event: TicketEvent): Promise<void> {
    for (const handler of this.handlers) handler(event);
    if (!this.storeAnnounces) await this.send(this.events, ticketEventMessage(event.ticketId, event.status));
  }

  subscribe(handler: TicketEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async claim(claim: TicketClaim): Promise<void> {
    await this.send(this.claims, JSON.stringify({ ticketId: claim.ticketId, claimant: claim.claimant }));
  }

  onClaim(handler: (claim: TicketClaim) => void): () => void {
    this.claimHandlers.add(handler);
    return () => this.claimHandlers.delete(handler);
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.subscriber.off('ready', this.onReady);
    this.handlers.clear();
    this.claimHandlers.clear();
    this.reconnectHandlers.clear();
    await Promise.all([this.subscriber.unsubscribe(this.events), this.subscriber.unsubscribe(this.claims)]).catch(() => undefined);
  }

  private readonly onReady = () => {
    if (!this.everReady) return;
    this.log.info('event bus reconnected: waiting pages re-read their tickets');
    for (const handler of this.reconnectHandlers) handler();
  };

  /** The change is stored already; a lost message only delays a push until the next read. */
  private async send(channel: string, message: string): Promise<void> {
    try {
      await this.publisher.publish(channel, message);
    } catch (error) {
      this.log.warn({ err: error, channel }, 'event bus publish failed');
    }
  }

  private deliverEvent(message: string): void {
    const value = parse(message);
    if (typeof value?.ticketId !== 'string' || typeof value.status !== 'string' || !STATUSES.has(value.status)) return;
    const event = { ticketId: value.ticketId, status: value.status as TicketStatus };
    for (const handler of this.handlers) handler(event);
  }

  private deliverClaim(message: string): void {
    const value = parse(message);
    if (typeof value?.ticketId !== 'string' || typeof value.claimant !== 'string') return;
    const claim = { ticketId: value.ticketId, claimant: value.claimant };
    for (const handler of this.claimHandlers) handler(claim);
  }
}
