import { Emitter } from './emitter';
import { LoginAttempt, type LoginSettings } from './login-attempt';
import type { FetchLike, LoginEvents, SavedTicket, WebSocketConstructorLike } from './types';

export interface LoginClientOptions {
  /** Origin (and optional path prefix) of the login server, e.g. `https://example.com`. */
  baseUrl: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Defaults to the global WebSocket; pass `null` (or run where there is none) to poll only. */
  WebSocket?: WebSocketConstructorLike | null;
  /** Between two status polls. Default 1000; a failed poll is retried after half of it, then doubling. */
  pollIntervalMs?: number;
  /** First reconnect delay, doubled on each failure. Default 250. */
  reconnectDelayMs?: number;
  /** The longest wait between two tries, reconnects and failed polls alike. Default 4000. */
  maxReconnectDelayMs?: number;
  /**
   * Failed or dropped ws connections per ticket before switching to polling. Default 3.
   * A server restart's close (1012) does not count.
   */
  webSocketFailureLimit?: number;
  /** Time for a ws connection to deliver its first status. Default 5000. */
  connectTimeoutMs?: number;
  /** How long after `expiresAt` a silent server is taken to have expired the ticket. Default 5000. */
  expiryGraceMs?: number;
}

/**
 * The scan-login engine, free of any UI framework: `start()` creates a ticket and follows
 * it (ws, reconnecting with back-off, polling when ws fails, retrying while the server is
 * away) until it is confirmed, cancelled or expired, an error stops it, or `stop()` is
 * called; `resume()` follows a ticket saved before a reload instead. Listen with `on()`.
 *
 * ```ts
 * const client = new LoginClient({ baseUrl: location.origin });
 * client.on('resumable', (saved) => sessionStorage.setItem('ticket', JSON.stringify(saved)));
 * client.on('ticket', ({ qrcodeUrl }) => (img.src = qrcodeUrl));
 * client.on('confirmed', ({ token }) => sessionStorage.setItem('token', token));
 * const saved = parseSavedTicket(JSON.parse(sessionStorage.getItem('ticket') ?? 'null'));
 * if (saved) client.resume(saved);
 * else client.start();
 * ```
 */
export class LoginClient {
  private readonly events = new Emitter<LoginEvents>();
  private readonly settings: LoginSettings;
  private attempt: LoginAttempt | null = null;

  constructor(options: LoginClientOptions) {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const platform = globalThis as { WebSocket?: WebSocketConstructorLike };
    this.settings = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      // Called unbound: browsers reject fetch called as a method of another object.
      fetch: (url, init) => fetchImpl(url, init),
      WebSocket: options.WebSocket === undefined ? (platform.WebSocket ?? null) : options.WebSocket,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      reconnectDelayMs: options.reconnectDelayMs ?? 250,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 4000,
      webSocketFailureLimit: options.webSocketFailureLimit ?? 3,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      expiryGraceMs: options.expiryGraceMs ?? 5000,
    };
  }

  /** Adds a listener; the returned function removes it. */
  on<K extends keyof LoginEvents>(type: K, listener: (event: LoginEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /** Creates a fresh ticket and follows it; a ticket followed before is dropped. */
  start(): void {
    this.begin(null);
  }

  /**
   * Follows the ticket of an earlier `resumable` event (e.g. from before a reload): the same
   * code, its status as the server has it now. `ticket` comes once the server has said the
   * ticket lives. A ticket that is over meanwhile (expired, cancelled, confirmed with the
   * token handed out) or that the server does not know is replaced by a fresh one, as with
   * `start()`. A ticket followed before is dropped.
   */
  resume(saved: SavedTicket): void {
    this.begin(saved);
  }

  /** Stops everything (sockets, polls, timers); no event follows. Safe to call twice. */
  stop(): void {
    this.attempt?.stop();
    this.attempt = null;
  }

  private begin(saved: SavedTicket | null): void {
    this.stop();
    this.attempt = new LoginAttempt(this.settings, (type, event) => this.events.emit(type, event), saved);
  }
}
