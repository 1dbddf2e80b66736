import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import type { LoginService, TicketView } from '../core/login-service';
import type { Ticket, TicketStatus } from '../core/ticket';
import type { EventBus, TicketClaim, TicketEvent } from '../core/event-bus';

/** A waiting page's connection, as the hub needs it (ws-server.ts adapts a real socket). */
export interface PushSocket {
  send(message: StatusMessage): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}

export interface StatusMessage {
  type: 'status';
  status: TicketStatus;
  expiresAt: string;
  token?: string;
  user?: unknown;
}

interface Subscription {
  ticketId: string;
  /** This socket's name on the bus: another instance's claim with another name replaces it. */
  claimant: string;
  socket: PushSocket;
  expiresAt: number;
  lastStatus?: TicketStatus;
  expiryTimer?: NodeJS.Timeout;
  /** A read-and-send is under way; `stale`: a change came meanwhile, read again after it. */
  refreshing?: boolean;
  stale?: boolean;
}

/** A new subscribe for the same ticket replaced this socket (a reconnect, or a second tab). */
export const CLOSE_REPLACED = 4409;

const FINAL: ReadonlySet<TicketStatus> = new Set(['confirmed', 'cancelled', 'expired']);

/** A status after which nothing about the ticket changes for the page. */
export function isFinal(status: TicketStatus): boolean {
  return FINAL.has(status);
}

/**
 * Delivers ticket changes to the one socket per ticket that waits on this process.
 * Lookup is by ticket id (a Map), never a scan over every connected socket, so a push
 * costs the same with 10 or 15,000 pages waiting.
 */
export class PushHub {
  private readonly byTicket = new Map<string, Subscription>();
  private readonly bySocket = new Map<PushSocket, Subscription>();
  private readonly unsubscribeBus: (() => void)[];
  /** Names this process's sockets on the bus, unique across instances. */
  private readonly instance = randomUUID();
  private claims = 0;

  constructor(
    private readonly service: LoginService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.unsubscribeBus = [
      bus.subscribe((event) => this.onEvent(event)),
      bus.onClaim((claim) => this.onClaim(claim)),
      // Changes published while the bus was away were lost: every waiting page re-reads.
      bus.onReconnect(() => this.refreshAll()),
    ];
  }

  get size(): number {
    return this.byTicket.size;
  }

  /** Registers the socket for an authorized ticket and sends the current status at once. */
  async subscribe(socket: PushSocket, ticket: Ticket): Promise<void> {
    this.unsubscribe(socket);
    const previous = this.byTicket.get(ticket.id);
    if (previous) {
      this.drop(previous);
      previous.socket.close(CLOSE_REPLACED, 'replaced');
    }
    const claimant = `${this.instance}:${++this.claims}`;
    const sub: Subscription = { ticketId: ticket.id, claimant, socket, expiresAt: ticket.expiresAt };
    // Registered before the snapshot is read, so a change in between is not missed;
    // `lastStatus` drops the duplicate.
    this.byTicket.set(ticket.id, sub);
    this.bySocket.set(socket, sub);
    this.scheduleExpiry(sub);
    // One subscriber per ticket across instances: a socket for it elsewhere lets go.
    await this.bus.claim({ ticketId: ticket.id, claimant });
    await this.refreshOnce(sub);
  }

  /** Forgets whatever this socket waited for (it closed, or subscribes to another ticket). */
  unsubscribe(socket: PushSocket): void {
    const sub = this.bySocket.get(socket);
    if (sub) this.drop(sub);
  }

  close(): void {
    for (const off of this.unsubscribeBus) off();
    for (const sub of [...this.byTicket.values()]) this.drop(sub);
  }

  private onEvent(event: TicketEvent): void {
    const sub = this.byTicket.get(event.ticketId);
    if (!sub || sub.lastStatus === event.status) return;
    if (!event.ticket && !isFinal(event.status) && !sub.refreshing) {
      // Another instance's scan: the status and the expiry this socket already knows are
      // the whole message, so it goes out as heard, without a read of the shared store.
      // A final status still needs the ticket (the token, its one handover).
      this.send(sub, { status: event.status, expiresAt: sub.expiresAt });
      return;
    }
    this.request(sub, event.ticket, 'push failed');
  }

  private onClaim({ ticketId, claimant }: TicketClaim): void {
    const sub = this.byTicket.get(ticketId);
    if (!sub || sub.claimant === claimant) return;
    this.drop(sub);
    sub.socket.close(CLOSE_REPLACED, 'replaced');
  }

  private refreshAll(): void {
    for (const sub of [...this.byTicket.values()]) this.request(sub, undefined, 'push after reconnect failed');
  }

  /**
   * One read-and-send at a time per socket. Two at once could both see the confirmed
   * ticket, and the one that loses the token's handover would re-read it consumed and
   * could send "confirmed" without the token after, or before, the winner's.
   */
  private request(sub: Subscription, known: Ticket | undefined, failure: string): void {
    if (sub.refreshing) {
      sub.stale = true;
      return;
    }
    this.refreshOnce(sub, known).catch((error) => this.log.error({ err: error, ticketId: sub.ticketId }, failure));
  }

  private async refreshOnce(sub: Subscription, known?: Ticket): Promise<void> {
    sub.refreshing = true;
    try {
      await this.refresh(sub, known);
    } finally {
      sub.refreshing = false;
      if (sub.stale) {
        sub.stale = false;
        if (this.byTicket.get(sub.ticketId) === sub) this.request(sub, undefined, 'push failed');
      }
    }
  }

  /** Reads the ticket (unless the change came with it) and sends what changed; hands over the token if this socket wins it. */
  private async refresh(sub: Subscription, known?: Ticket): Promise<void> {
    const ticket = known ?? (await this.service.find(sub.ticketId));
    if (this.byTicket.get(sub.ticketId) !== sub || !sub.socket.isOpen) return;
    const view = await this.service.view(ticket);
    if (this.byTicket.get(sub.ticketId) !== sub) return;
    if (view.status !== sub.lastStatus || 'token' in view) this.send(sub, view);
    if (isFinal(view.status)) this.drop(sub);
  }

  private send(sub: Subscription, view: TicketView): void {
    sub.lastStatus = view.status;
    const message: StatusMessage = { type: 'status', status: view.status, expiresAt: new Date(view.expiresAt).toISOString() };
    if ('token' in view) {
      message.token = view.token;
      message.user = view.user;
    }
    sub.socket.send(message);
  }

  /** Expiry is pushed within a second of expiresAt even when nobody else touches the ticket. */
  private scheduleExpiry(sub: Subscription): void {
    const delay = Math.max(0, sub.expiresAt - this.clock.now()) + 20;
    sub.expiryTimer = setTimeout(() => {
      sub.expiryTimer = undefined;
      if (this.byTicket.get(sub.ticketId) !== sub) return;
      this.request(sub, undefined, 'expiry push failed');
    }, delay);
  }

  private drop(sub: Subscription): void {
    if (sub.expiryTimer) clearTimeout(sub.expiryTimer);
    if (this.byTicket.get(sub.ticketId) === sub) this.byTicket.delete(sub.ticketId);
    if (this.bySocket.get(sub.socket) === sub) this.bySocket.delete(sub.socket);
  }
}
