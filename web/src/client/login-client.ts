import { CodeImages } from './code-images';
import { Emitter } from './emitter';
import { DEFAULT_PREFIX, loginEndpoints } from './endpoints';
import { LoginAttempt, type LoginSettings } from './login-attempt';
import type { FetchLike, LoginEvents, SavedTicket, WebSocketConstructorLike } from './types';

export interface LoginClientOptions {
  /** Origin of the login server, e.g. `https://login.example.com`. */
  baseUrl: string;
  /**
   * Where the server's login routes live: `/api/login` (the default) on the standalone
   * server, the `prefix` given to `createScanLogin` in a host (e.g. `/auth/wechat`).
   */
  prefix?: string;
  /**
   * Where `start()` creates tickets (`POST`), absolute or a path on `baseUrl`. Default
   * `${baseUrl}${prefix}/tickets`. Status polls and the ws stay under `prefix`: e.g. an
   * OpenID interaction's `/oidc/interaction/:uid/tickets`, which ties its tickets to it.
   */
  ticketsUrl?: string;
  /**
   * The origin of the page that shows the code. Default `location.origin` (none in Node).
   * A server on another origin gets its code images fetched with CORS into `blob:` URLs
   * (see `LoginTicket.imageUrl`).
   */
  pageOrigin?: string | null;
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
 * const client = new LoginClient({ baseUrl: 'https://login.example.com', prefix: '/auth/wechat' });
 * client.on('resumable', (saved) => sessionStorage.setItem('ticket', JSON.stringify(saved)));
 * client.on('ticket', ({ imageUrl }) => (img.src = imageUrl));
 * client.on('confirmed', ({ token }) => sessionStorage.setItem('token', token));
 * const saved = parseSavedTicket(JSON.parse(sessionStorage.getItem('ticket') ?? 'null'));
 * if (saved) client.resume(saved);
 * else client.start();
 * ```
 */
export class LoginClient {
  private readonly events = new Emitter<LoginEvents>();
  private readonly settings: LoginSettings;
  private readonly codeImages: CodeImages;
  private attempt: LoginAttempt | null = null;

  constructor(options: LoginClientOptions) {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const platform = globalThis as { WebSocket?: WebSocketConstructorLike; location?: { origin: string } };
    // Called unbound: browsers reject fetch called as a method of another object.
    const fetch: FetchLike = (url, init) => fetchImpl(url, init);
    this.codeImages = new CodeImages(
      fetch,
      options.pageOrigin === undefined ? (platform.location?.origin ?? null) : options.pageOrigin,
    );
    this.settings = {
      endpoints: loginEndpoints(options.baseUrl, options.prefix ?? DEFAULT_PREFIX, options.ticketsUrl),
      codeImages: this.codeImages,
      fetch,
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

  /**
   * Stops everything (sockets, polls, timers) and revokes the code's `blob:` URL, if any:
   * the page shows no code of this client any more. No event follows. Safe to call twice.
   */
  stop(): void {
    this.attempt?.stop();
    this.attempt = null;
    this.codeImages.release();
  }

  private begin(saved: SavedTicket | null): void {
    // The old code's image stays until the new one replaces it: a page may show it meanwhile.
    this.attempt?.stop();
    this.attempt = new LoginAttempt(this.settings, (type, event) => this.events.emit(type, event), saved);
  }
}
