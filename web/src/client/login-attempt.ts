import { backoffDelay } from './backoff';
import type { CodeImages } from './code-images';
import { createTicket } from './create-ticket';
import type { Endpoints } from './endpoints';
import { LoginError } from './login-error';
import { restoreTicket, saveTicket, type HeldTicket } from './saved-ticket';
import { StatusPoller } from './status-poller';
import { StatusSocket, type SocketClose } from './status-socket';
import type { StatusUpdate } from './status-update';
import type { FetchLike, LoginEvents, SavedTicket, TicketStatus, Transport, WebSocketConstructorLike } from './types';

/** LoginClient's options with every default filled in. */
export interface LoginSettings {
  endpoints: Endpoints;
  /** Shared by the client's attempts, so each new code's image revokes the one before. */
  codeImages: CodeImages;
  fetch: FetchLike;
  WebSocket: WebSocketConstructorLike | null;
  pollIntervalMs: number;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  webSocketFailureLimit: number;
  connectTimeoutMs: number;
  expiryGraceMs: number;
}

type Emit = <K extends keyof LoginEvents>(type: K, event: LoginEvents[K]) => void;

/** The server closes every socket with this when it restarts: the page reconnects, no fault of ws. */
const SERVICE_RESTART = 1012;
/** A server that does not know the ticket, which may be one that has not got it yet: polling decides. */
const UNKNOWN_TICKET = 4404;

const closeErrors: Record<number, [code: string, message: string]> = {
  4400: ['INVALID_REQUEST', 'The server did not understand the subscription.'],
  4401: ['SECRET_INVALID', 'The server refused the ticket secret.'],
  4409: [LoginError.SUBSCRIPTION_REPLACED, 'This login is being watched from another window.'],
};

/** The server's answers that mean the ticket itself is gone (unknown, or not this secret's). */
const GONE = new Set(['TICKET_NOT_FOUND', 'SECRET_INVALID']);

/**
 * One ticket from creation (or resumption) to its end: the code, the ws subscription with
 * reconnects, the polling fallback, reachability, and the local expiry guard. Emits
 * nothing once stopped.
 */
export class LoginAttempt {
  private cancelled = false;
  private finished = false;
  private held: HeldTicket | null = null;
  private imageUrl = '';
  /** Whether `ticket` went out for `held`: a resumed ticket waits until the server vouches for it. */
  private shown = false;
  private status: TicketStatus | null = null;
  private expiresAt = new Date(0);
  private socket: StatusSocket | null = null;
  private poller: StatusPoller | null = null;
  private socketFailures = 0;
  private transport: Transport | null = null;
  private reachable = true;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly abort = new AbortController();

  /** Follows `saved` while it lives, else a fresh ticket. */
  constructor(
    private readonly settings: LoginSettings,
    private readonly emitOut: Emit,
    saved: SavedTicket | null,
  ) {
    const resumed = saved && restoreTicket(saved);
    if (resumed && resumed.ticket.localExpiresAt.getTime() > Date.now()) void this.resume(resumed);
    else void this.create();
  }

  /** Stops every channel and timer; nothing is emitted afterwards. */
  stop(): void {
    this.cancelled = true;
    this.finish();
  }

  private async create(): Promise<void> {
    let created, imageUrl;
    try {
      created = await createTicket(this.settings.fetch, this.settings.endpoints, this.abort.signal);
      imageUrl = await this.settings.codeImages.load(created.ticket.qrcodeUrl, this.abort.signal);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.finished) return;
    this.setReachable(true);
    this.follow(created, imageUrl);
    // Its creation is the server's word that a fresh ticket lives.
    this.handle({ status: 'pending', expiresAt: created.ticket.expiresAt });
    this.listen();
  }

  private async resume(saved: HeldTicket): Promise<void> {
    let imageUrl;
    try {
      imageUrl = await this.settings.codeImages.load(saved.ticket.qrcodeUrl, this.abort.signal);
    } catch {
      return; // stopped meanwhile
    }
    if (this.finished) return;
    this.follow(saved, imageUrl);
    this.listen();
  }

  private follow(held: HeldTicket, imageUrl: string): void {
    this.held = held;
    this.imageUrl = imageUrl;
    this.shown = false;
    this.status = null;
    this.socketFailures = 0;
    this.expiresAt = held.ticket.expiresAt;
    // The server pushes `expired` within a second; this guard covers a server that went silent.
    const untilExpiry = held.ticket.localExpiresAt.getTime() - Date.now();
    this.later(() => this.handle({ status: 'expired' }), untilExpiry + this.settings.expiryGraceMs);
  }

  /** Opens the channel that carries the held ticket's status. */
  private listen(): void {
    if (this.settings.WebSocket) this.connect(this.settings.WebSocket);
    else this.startPolling();
  }

  /** A saved ticket turned out to be over or unknown: the page gets a fresh one instead. */
  private replace(): void {
    this.stopChannels();
    void this.create();
  }

  private connect(WebSocket: WebSocketConstructorLike): void {
    const { ticket, secret } = this.held!;
    this.setTransport('websocket');
    this.socket = new StatusSocket({
      WebSocket,
      url: this.settings.endpoints.socket,
      ticketId: ticket.ticketId,
      secret,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      onUpdate: (update) => {
        this.setReachable(true);
        this.handle(update);
      },
      onClose: (close) => this.socketClosed(close, WebSocket),
    });
  }

  private socketClosed(close: SocketClose, WebSocket: WebSocketConstructorLike): void {
    this.socket = null;
    if (this.finished) return;
    const known = closeErrors[close.code];
    if (known) {
      const error = new LoginError(known[0], close.reason || known[1]);
      if (GONE.has(error.code)) this.gone(error);
      else this.fail(error);
      return;
    }
    // A restart is announced, not a failure: counting it would push every page of a deploy to polling.
    if (close.code !== SERVICE_RESTART) this.socketFailures += 1;
    if (close.code === UNKNOWN_TICKET || this.socketFailures >= this.settings.webSocketFailureLimit) {
      this.startPolling();
      return;
    }
    // The server re-sends the current status on subscribe, so a reconnect resumes.
    const { reconnectDelayMs, maxReconnectDelayMs } = this.settings;
    this.later(
      () => this.connect(WebSocket),
      backoffDelay(Math.max(0, this.socketFailures - 1), reconnectDelayMs, maxReconnectDelayMs),
    );
  }

  private startPolling(): void {
    const { ticket, secret } = this.held!;
    this.setTransport('polling');
    this.poller = new StatusPoller({
      fetch: this.settings.fetch,
      url: this.settings.endpoints.ticket(ticket.ticketId),
      secret,
      intervalMs: this.settings.pollIntervalMs,
      maxDelayMs: this.settings.maxReconnectDelayMs,
      onUpdate: (update) => this.polled(update),
      // No answer at all, and ws (if there is one) failed before: the server itself is away.
      onFailure: (error) => error.code === LoginError.NETWORK_ERROR && this.setReachable(false),
      onError: (error) => {
        if (error.code === 'TICKET_EXPIRED') this.handle({ status: 'expired' });
        else if (error.code === 'TICKET_CANCELLED') this.handle({ status: 'cancelled' });
        else if (GONE.has(error.code)) this.gone(error);
        else this.fail(error);
      },
    });
  }

  /**
   * A poll answered. Polling stays only while ws is what fails: after an outage the failed
   * sockets said nothing about ws, and after a 4404 the poll only had to show the ticket lives.
   */
  private polled(update: StatusUpdate): void {
    const recovered = !this.reachable;
    this.setReachable(true);
    this.handle(update);
    const { WebSocket, webSocketFailureLimit } = this.settings;
    if (this.finished || !this.poller || !WebSocket) return;
    if (recovered) this.socketFailures = 0;
    if (this.socketFailures >= webSocketFailureLimit) return;
    this.poller.stop();
    this.poller = null;
    this.connect(WebSocket);
  }

  private handle(update: StatusUpdate): void {
    if (this.finished) return;
    if (update.expiresAt) this.expiresAt = update.expiresAt;
    const { status, token } = update;
    if (!this.shown) {
      // A resumed ticket that ended meanwhile is no use to the page: it gets a fresh one.
      if (status !== 'pending' && status !== 'scanned' && !(status === 'confirmed' && token)) {
        this.replace();
        return;
      }
      this.shown = true;
      this.emit('resumable', saveTicket(this.held!));
      this.emit('ticket', { ...this.held!.ticket, imageUrl: this.imageUrl });
    }
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

  /** The server does not know the ticket (or not with this secret): final, unless it was only resumed. */
  private gone(error: LoginError): void {
    if (this.shown) this.fail(error);
    else this.replace();
  }

  private setTransport(transport: Transport): void {
    if (this.transport === transport) return;
    this.transport = transport;
    this.emit('transport', { transport });
  }

  private setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.emit('reachability', { reachable });
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
    this.stopChannels();
  }

  private stopChannels(): void {
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
