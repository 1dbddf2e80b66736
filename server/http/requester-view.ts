import { UAParser } from 'ua-parser-js';
import type { Ticket } from '../core/ticket';

export interface RequesterView {
  ip: string;
  browser: string;
  os: string;
  createdAt: string;
}

/**
 * Who asked for the code, as the phone shows it ("Log in on Chrome/macOS?"). Seeing a
 * browser or place they do not recognise is how a user spots a forwarded code.
 */
export function requesterView(ticket: Ticket): RequesterView {
  const ua = new UAParser(ticket.requester.userAgent).getResult();
  const name = (part: { name?: string; version?: string }, major?: string) =>
    [part.name, major ?? part.version].filter(Boolean).join(' ') || 'Unknown';
  return {
    ip: ticket.requester.ip,
    browser: name(ua.browser, ua.browser.major),
    os: name(ua.os),
    createdAt: new Date(ticket.createdAt).toISOString(),
  };
}
