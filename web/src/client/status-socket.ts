import { isRecord } from './http-json';
import { parseStatusUpdate, type StatusUpdate } from './status-update';
import type { WebSocketConstructorLike, WebSocketLike } from './types';

export interface SocketClose {
  code: number;
  reason: string;
  /** Whether the server answered the subscribe on this connection before it closed. */
  subscribed: boolean;
}

export interface StatusSocketOptions {
  WebSocket: WebSocketConstructorLike;
  url: string;
  ticketId: string;
  secret: string;
  /** How long the connection may take to deliver the first status before it counts as failed. */
  connectTimeoutMs: number;
  onUpdate(update: StatusUpdate): void;
  /** Called once when the connection ends for any reason other than close(). */
  onClose(close: SocketClose): void;
}

/** Close code used locally for a connection that never answered in time. */
export const CONNECT_TIMEOUT_CODE = 4000;

/** One ws connection subscribed to one ticket. */
export class StatusSocket {
  private socket: WebSocketLike | null = null;
  private subscribed = false;
  private finished = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(private readonly options: StatusSocketOptions) {
    this.timer = setTimeout(() => this.fail(CONNECT_TIMEOUT_CODE, 'no answer in time'), options.connectTimeoutMs);
    try {
      this.socket = new options.WebSocket(options.url);
    } catch (cause) {
      // A synchronous throw (bad URL, blocked by policy) is reported like any failed connection.
      const reason = cause instanceof Error ? cause.message : String(cause);
      setTimeout(() => this.fail(1006, reason), 0);
      return;
    }
    this.socket.onopen = () => {
      this.socket?.send(JSON.stringify({ type: 'subscribe', ticketId: options.ticketId, secret: options.secret }));
    };
    this.socket.onmessage = (event) => this.receive(event.data);
    this.socket.onclose = (event) => this.fail(event.code, event.reason);
    // An error is always followed by a close, which carries the code. The handler stays
    // set after close(): Node's `ws` throws on an error event that nobody listens to.
    this.socket.onerror = () => undefined;
  }

  /** Ends the connection without reporting it. */
  close(): void {
    this.finished = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close(1000, 'done');
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isRecord(message) || message.type !== 'status') return;
    const update = parseStatusUpdate(message);
    if (!update) return;
    if (!this.subscribed) {
      this.subscribed = true;
      clearTimeout(this.timer);
    }
    this.options.onUpdate(update);
  }

  private fail(code: number, reason: string): void {
    if (this.finished) return;
    this.close();
    this.options.onClose({ code, reason, subscribed: this.subscribed });
  }
}
