import { backoffDelay } from './backoff';
import { createTicket } from './create-ticket';
import { LoginError } from './login-error';
import { StatusPoller } from './status-poller';
import { StatusSocket, type SocketClose } from './status-socket';
import type { StatusUpdate } from './status-update';
import type { FetchLike, LoginEvents, TicketStatus, WebSocketConstructorLike } from './types';

/** LoginClient's options with every default filled in. */
export interface LoginSettings {
  baseUrl: string;
  fetch: FetchLike;
  WebSocket: WebSocketConstructorLike | null;
  pollIntervalMs: number;
  maxPollFailures: number;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  webSocketFailureLimit: number;
  connectTimeoutMs: number;
  expiryGraceMs: number;
}

type Emit = <K extends keyof LoginEvents>(type: K, event: LoginEvents[K]) => void;

const closeErrors: Record<number, [code: string, message: string]> = {
  4400: ['INVALID_REQUEST', 'The server did not understand the subscription.'],
  4401: ['SECRET_INVALID', 'The server refused the ticket secret.'],
  4404: ['TICKET_NOT_FOUND', 'The server does not know this ticket.'],
  4409: [LoginError.SUBSCRIPTION_REPLACED, 'This login is being watched from another window.'],
};

/**
 * One ticket from creation to its end: the code, the ws subscription with reconnects,
 * the polling fallback, and the local expiry guard. Emits nothing once stopped.
 */
export class LoginAttempt {
  private cancelled = false;
  private finished = false;
  private status: TicketStatus | null = null;
  private expiresAt = new Date(0);
  private socket: StatusSocket | null = null;
  private poller: StatusPoller | null = null;
  private socketFailures = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly settings: LoginSettings,
    private readonly emitOut: Emit,
  ) {
    void this.begin();
  }

  /** Stops every channel and timer; nothing is emitted afterwards. */
  stop(): void {
    this.cancelled = true;
    this.finish();
  }

  private async begin(): Promise<void> {
    const { settings } = this;
    let created;
    try {
      created = await createTicket(settings.fetch, settings.baseUrl, this.abort.signal);
    } catch (error) {
      this.fail(error);
      return;
    }
    const { ticket, secret } = created;
    this.expiresAt = ticket.expiresAt;
    this.emit('ticket', ticket);
    this.handle({ status: 'pending', expiresAt: ticket.expiresAt });
    // The server pushes `expired` within a second; this guard covers a server that went silent.
    const untilExpiry = ticket.localExpiresAt.getTime() - Date.now();
    this.later(() => this.handle({ status: 'expired' }), untilExpiry + settings.expiryGraceMs);
    if (settings.WebSocket) {
      this.emit('transport', { transport: 'websocket' });
      this.connect(settings.WebSocket, ticket.ticketId, secret);
    } else {
      this.startPolling(ticket.ticketId, secret);
    }
  }

  private connect(WebSocket: WebSocketConstructorLike, ticketId: string, secret: string): void {
    this.socket = new StatusSocket({
      WebSocket,
      url: `${this.settings.baseUrl.replace(/^http/, 'ws')}/api/login/ws`,
      ticketId,
      secret,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      onUpdate: (update) => this.handle(update),
      onClose: (close) => this.socketClosed(close, WebSocket, ticketId, secret),
    });
  }

  private socketClosed(close: SocketClose, WebSocket: WebSocketConstructorLike, ticketId: string, secret: string): void {
    this.socket = null;
    if (this.finished) return;
    const known = closeErrors[close.code];
    if (known) {
      this.fail(new LoginError(known[0], close.reason || known[1]));
      return;
    }
    this.socketFailures += 1;
    if (this.socketFailures >= this.settings.webSocketFailureLimit) {
      this.startPolling(ticketId, secret);
      return;
    }
    // The server re-sends the current status on subscribe, so a reconnect resumes.
    const { reconnectDelayMs, maxReconnectDelayMs } = this.settings;
    this.later(
      () => this.connect(WebSocket, ticketId, secret),
      backoffDelay(this.socketFailures - 1, reconnectDelayMs, maxReconnectDelayMs),
    );
  }

  private startPolling(ticketId: string, secret: string): void {
    this.emit('transport', { transport: 'polling' });
    this.poller = new StatusPoller({
      fetch: this.settings.fetch,
      url: `${this.settings.baseUrl}/api/login/tickets/${encodeURIComponent(ticketId)}`,
      secret,
      intervalMs: this.settings.pollIntervalMs,
      maxFailures: this.settings.maxPollFailures,
      onUpdate: (update) => this.handle(update),
      onError: (error) => {
        if (error.code === 'TICKET_EXPIRED') this.handle({ status: 'expired' });
        else if (error.code === 'TICKET_CANCELLED') this.handle({ status: 'cancelled' });
        else this.fail(error);
      },
    });
  }

  private handle(update: StatusUpdate): void {
    if (this.finished) return;
    if (update.expiresAt) this.expiresAt = update.expiresAt;
    const { status, token } = update;
    if (status === 'confirmed' && !token) {
      this.fail(new LoginError(LoginError.TOKEN_ALREADY_DELIVERED, 'The login was confirmed, but its token was already handed out.'));
      return;
    }
    const terminal = status === 'confirmed' || status === 'cancelled' || status === 'expired';
    if (terminal) this.finish();
    if (status !== this.status) {
      this.status = status;
      this.emit('status', { status, expiresAt: this.expiresAt });
    }
    if (status === 'confirmed' && token) this.emit('confirmed', { token, user: update.user ?? null });
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.finish();
    this.emit('error', error instanceof LoginError ? error : new LoginError(LoginError.BAD_RESPONSE, String(error)));
  }

  /** Ends every channel and timer; the final event may still go out unless cancelled. */
  private finish(): void {
    this.finished = true;
    this.abort.abort();
    this.socket?.close();
    this.socket = null;
    this.poller?.stop();
    this.poller = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(task: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, Math.max(0, delayMs));
    this.timers.add(timer);
  }

  private emit: Emit = (type, event) => {
    if (!this.cancelled) this.emitOut(type, event);
  };
}
