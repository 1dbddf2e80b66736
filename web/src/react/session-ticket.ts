import { parseSavedTicket, type SavedTicket } from '../client';

// The ticket being shown, so a reload resumes it instead of minting a new code (the phone
// may have scanned this one). Per tab, like the token: it holds the ticket's secret.
const KEY = 'mp-scan-login.ticket';

export function readTicket(): SavedTicket | null {
  try {
    const stored = sessionStorage.getItem(KEY);
    return stored === null ? null : parseSavedTicket(JSON.parse(stored));
  } catch {
    // Storage off, or not JSON (another version of the page wrote it): start afresh.
    return null;
  }
}

export function saveTicket(ticket: SavedTicket): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(ticket));
  } catch {
    // Without storage a reload shows a new code, as it always did.
  }
}

export function clearTicket(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
