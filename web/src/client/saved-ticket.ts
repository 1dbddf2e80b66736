import { isRecord } from './http-json';
import { parseHttpUrl } from './http-url';
import type { LoginTicket, SavedTicket } from './types';
import { parseWeChatMode } from './wechat-mode';

/**
 * A ticket as the client follows it: what the page may show, and the secret that it may
 * not. The image URL for this page is found apart (CodeImages), since it does not outlive
 * the page.
 */
export interface HeldTicket {
  ticket: Omit<LoginTicket, 'imageUrl'>;
  secret: string;
}

/** The plain-JSON form of a held ticket, for the `resumable` event. */
export function saveTicket({ ticket, secret }: HeldTicket): SavedTicket {
  return {
    ticketId: ticket.ticketId,
    secret,
    qrcodeUrl: ticket.qrcodeUrl,
    expiresAt: ticket.expiresAt.toISOString(),
    localExpiresAt: ticket.localExpiresAt.toISOString(),
    ...(ticket.wechat && { wechat: ticket.wechat }),
    ...(ticket.phoneUrl && { phoneUrl: ticket.phoneUrl }),
  };
}

/** The held ticket back from its saved form. */
export function restoreTicket(saved: SavedTicket): HeldTicket {
  return {
    secret: saved.secret,
    ticket: {
      ticketId: saved.ticketId,
      qrcodeUrl: saved.qrcodeUrl,
      expiresAt: new Date(saved.expiresAt),
      localExpiresAt: new Date(saved.localExpiresAt),
      ...(saved.wechat && { wechat: saved.wechat }),
      ...(saved.phoneUrl && { phoneUrl: saved.phoneUrl }),
    },
  };
}

/**
 * Reads what a page stored (already `JSON.parse`d) back into a SavedTicket; null when it
 * is not one (another version of the page wrote it, or someone edited it). The page puts
 * both URLs in an image and a link, so they are held to http(s) again.
 */
export function parseSavedTicket(value: unknown): SavedTicket | null {
  if (!isRecord(value)) return null;
  const { ticketId, secret, expiresAt, localExpiresAt } = value;
  const qrcodeUrl = parseHttpUrl(value.qrcodeUrl);
  if (
    typeof ticketId !== 'string' ||
    typeof secret !== 'string' ||
    !qrcodeUrl ||
    !isDate(expiresAt) ||
    !isDate(localExpiresAt)
  ) {
    return null;
  }
  const wechat = parseWeChatMode(value.wechat);
  const phoneUrl = parseHttpUrl(value.phoneUrl);
  return { ticketId, secret, qrcodeUrl, expiresAt, localExpiresAt, ...(wechat && { wechat }), ...(phoneUrl && { phoneUrl }) };
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
