import type { LoginError } from './login-error';

/** What a ticket is doing, as the server reports it. */
export type TicketStatus = 'pending' | 'scanned' | 'confirmed' | 'cancelled' | 'expired';

/** The user the server logged in, as `/api/me` and the confirmed message describe it. */
export interface LoginUser {
  id: string;
  nickname: string | null;
  avatarUrl: string | null;
  createdAt: string;
}

/** Whom the server asks about a login: WeChat itself, or its built-in simulator (a demo). */
export type WeChatMode = 'simulator' | 'real';

/** A fresh ticket, ready to be shown as a code. */
export interface LoginTicket {
  ticketId: string;
  /** Absolute URL of the code image on the login server. */
  qrcodeUrl: string;
  /**
   * What to put in the `<img src>` on this page. `qrcodeUrl` itself when the page and the
   * server share an origin. From another origin the server's
   * `Cross-Origin-Resource-Policy: same-origin` blocks an `<img>` of it, so the client
   * fetches the image with CORS and hands out a `blob:` URL, revoked when the next ticket's
   * image replaces it or the client is stopped. If that fetch failed, `qrcodeUrl` again, so
   * the image's `error` event tells the page as it would on the same origin.
   */
  imageUrl: string;
  /** When the server expires the ticket, on the server's clock. */
  expiresAt: Date;
  /** The same moment on this machine's clock: use it for countdowns. */
  localExpiresAt: Date;
  /**
   * `simulator`: no real WeChat is behind this login, so anyone can confirm under any name;
   * tell the visitor it is a demo. Absent when the server does not say.
   */
  wechat?: WeChatMode;
  /**
   * The phone's confirm page for this ticket (an http(s) URL, the text inside the code), so
   * the code can be "scanned" without a phone. Only in simulator mode outside production.
   */
  phoneUrl?: string;
}

/**
 * What a page keeps to follow the same ticket after a reload (`LoginClient.resume`): plain
 * JSON, dates as ISO strings, so it fits `sessionStorage`. It holds the ticket's secret, the
 * one thing that receives the login's token: keep it where only this tab can read it
 * (`sessionStorage`, not `localStorage` or a cookie) and never send it anywhere.
 */
export interface SavedTicket {
  ticketId: string;
  secret: string;
  qrcodeUrl: string;
  /** `LoginTicket.expiresAt`, ISO 8601. */
  expiresAt: string;
  /** `LoginTicket.localExpiresAt`, ISO 8601: the tab that resumes runs on the same clock. */
  localExpiresAt: string;
  wechat?: WeChatMode;
  phoneUrl?: string;
}

export type Transport = 'websocket' | 'polling';

/** The events a LoginClient emits, by name. */
export interface LoginEvents {
  /**
   * The ticket to show as a code: a fresh one at once, a resumed one once the server has
   * said it still lives.
   */
  ticket: LoginTicket;
  /** What to keep to resume this ticket after a reload; emitted just before each `ticket`. */
  resumable: SavedTicket;
  /** Emitted once per change of status, never twice in a row for the same one. */
  status: { status: TicketStatus; expiresAt: Date };
  /**
   * The login succeeded; emitted once, after which the client has stopped. `user` is
   * null only if the server left it out; `GET /api/me` with the token always has it.
   */
  confirmed: { token: string; user: LoginUser | null };
  /** Which channel carries the status now; useful for diagnostics. */
  transport: { transport: Transport };
  /**
   * `false` once neither ws nor HTTP reaches the server (the client keeps retrying, with
   * back-off, while the ticket lives); `true` when it answers again. Only on change: the
   * client starts out taking the server to be reachable.
   */
  reachability: { reachable: boolean };
  /** Something went wrong that the client cannot fix on its own; it has stopped. */
  error: LoginError;
}

// Minimal structural views of the platform's fetch and WebSocket, so the client
// runs in browsers and in Node (tests pass the `ws` package) without the DOM lib.

/** A handler type checked bivariantly, so both the DOM's and `ws`'s event types fit. */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface WebSocketLike {
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** Needed only to show code images across origins (see `LoginTicket.imageUrl`). */
  blob?(): Promise<unknown>;
}

export interface RequestInitLike {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type FetchLike = (url: string, init?: RequestInitLike) => Promise<ResponseLike>;
