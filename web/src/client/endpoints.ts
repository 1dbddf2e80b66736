/** The standalone server's prefix, the contract's paths; a host mounting the library picks its own. */
export const DEFAULT_PREFIX = '/api/login';

/** Where the login routes of one server answer. */
export interface Endpoints {
  /** The server's base URL, without a trailing slash: the code URL a ticket names is resolved against it. */
  baseUrl: string;
  /** `POST`: a fresh ticket (`${prefix}/tickets` unless the client was given a `ticketsUrl`). */
  tickets: string;
  /** The ws URL a ticket's status is subscribed on. */
  socket: string;
  /** `GET` with the secret: a ticket's status (the polling fallback). */
  ticket(ticketId: string): string;
}

/**
 * The routes under `prefix` (`/api/login` standalone, e.g. `/auth/wechat` in a host that
 * mounts the library there) of the server at `baseUrl`. A missing leading slash or a
 * trailing one is forgiven, since both are easy to type and mean nothing else.
 * `ticketsUrl`, resolved against `baseUrl`, moves only the creation of tickets elsewhere
 * (an OpenID interaction creates its own); their status stays under `prefix`.
 */
export function loginEndpoints(baseUrl: string, prefix: string = DEFAULT_PREFIX, ticketsUrl?: string): Endpoints {
  const base = baseUrl.replace(/\/+$/, '');
  const path = `/${prefix.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const api = `${base}${path}`;
  return {
    baseUrl: base,
    tickets: ticketsUrl === undefined ? `${api}/tickets` : new URL(ticketsUrl, `${base}/`).toString(),
    socket: `${api.replace(/^http/, 'ws')}/ws`,
    ticket: (ticketId) => `${api}/tickets/${encodeURIComponent(ticketId)}`,
  };
}
