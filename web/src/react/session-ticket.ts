import { parseSavedTicket, type SavedTicket } from '../client';

// The ticket being shown, so a reload resumes it instead of minting a new code (the phone
// may have scanned this one). Per tab, like the token: it holds the ticket's secret.
const KEY = 'mp-scan-login.ticket';

/**
 * Where the ticket of a login is kept: tickets from a `ticketsUrl` of their own (an OpenID
 * interaction's) apart from the plain ones and from each other's, since a ticket belongs
 * to the endpoint that made it: resuming another one would log in the wrong flow.
 */
export function ticketKey(ticketsUrl: string | undefined): string {
  return ticketsUrl === undefined ? KEY : `${KEY} ${ticketsUrl}`;
}

export function readTicket(key: string): SavedTicket | null {
  try {
    const stored = sessionStorage.getItem(key);
    return stored === null ? null : parseSavedTicket(JSON.parse(stored));
  } catch {
    // Storage off, or not JSON (another version of the page wrote it): start afresh.
    return null;
  }
}

export function saveTicket(key: string, ticket: SavedTicket): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(ticket));
  } catch {
    // Without storage a reload shows a new code, as it always did.
  }
}

export function clearTicket(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
