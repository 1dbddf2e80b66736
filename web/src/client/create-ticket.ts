import type { Endpoints } from './endpoints';
import { isRecord, requestJson } from './http-json';
import { parseHttpUrl } from './http-url';
import { LoginError } from './login-error';
import type { HeldTicket } from './saved-ticket';
import type { FetchLike } from './types';
import { parseWeChatMode } from './wechat-mode';

// Below this the `Date` header's one-second resolution and the request's latency make
// a correction worse than none.
const MIN_CLOCK_SKEW_MS = 2000;

/**
 * `POST ${prefix}/tickets` (or the client's `ticketsUrl`): a fresh ticket and its secret.
 * The secret stays with the caller; the ticket is what a page may show.
 */
export async function createTicket(fetchImpl: FetchLike, endpoints: Endpoints, signal: AbortSignal): Promise<HeldTicket> {
  const sentAt = Date.now();
  // The JSON content type makes this a CORS request with a preflight: a page on an origin
  // the server does not list never gets as far as creating a ticket.
  const response = await requestJson(fetchImpl, endpoints.tickets, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal,
  });
  const body = response.body;
  if (
    !isRecord(body) ||
    typeof body.ticketId !== 'string' ||
    typeof body.secret !== 'string' ||
    typeof body.qrcodeUrl !== 'string' ||
    typeof body.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(body.expiresAt))
  ) {
    throw new LoginError(LoginError.BAD_RESPONSE, 'The new ticket lacks a field.', response.status);
  }
  const expiresAt = new Date(body.expiresAt);
  // The countdown runs on this machine's clock, which may be off from the server's.
  const skew = response.serverDate === null ? 0 : response.serverDate - (sentAt + Date.now()) / 2;
  const skewMs = Math.abs(skew) < MIN_CLOCK_SKEW_MS ? 0 : skew;
  const wechat = parseWeChatMode(body.wechat);
  const phoneUrl = parseHttpUrl(body.phoneUrl);
  return {
    secret: body.secret,
    ticket: {
      ticketId: body.ticketId,
      qrcodeUrl: new URL(body.qrcodeUrl, `${endpoints.baseUrl}/`).toString(),
      expiresAt,
      localExpiresAt: new Date(expiresAt.getTime() - skewMs),
      ...(wechat && { wechat }),
      ...(phoneUrl && { phoneUrl }),
    },
  };
}
