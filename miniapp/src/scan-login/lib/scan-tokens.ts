import type { KeyValueStorage } from './key-value-storage';

/** The phone's scan token of each ticket it scanned, for as long as the ticket lives. */
export interface ScanTokens {
  get(ticketId: string): string | undefined;
  /** `until`: the ticket's expiry on the phone's clock (ms); the token is worth nothing after. */
  remember(ticketId: string, scanToken: string, until: number): void;
  forget(ticketId: string): void;
}

export const SCAN_TOKENS_STORAGE_KEY = 'mp-scan-login:scan-tokens';

interface Entry {
  ticketId: string;
  scanToken: string;
  until: number;
}

/**
 * Scan tokens in local storage, so a reload of the confirm page resumes its ticket: the
 * owner scanning again with its token gets the same view back (DESIGN.md, "No login lost"),
 * where a scan without it would read as someone else's. One key holds every entry, and each
 * write drops the expired ones, so nothing outlives its ticket by more than a visit.
 * Storage that fails (full, or refused in a private window) only costs the resume, never
 * the login: reading it then finds nothing, and writing it does nothing.
 */
export function storedScanTokens(storage: KeyValueStorage, now: () => number): ScanTokens {
  const live = (): Entry[] => readEntries(storage).filter((entry) => entry.until > now());
  const write = (entries: Entry[]) => {
    try {
      storage.set(SCAN_TOKENS_STORAGE_KEY, JSON.stringify(entries));
    } catch {
      // See above: without storage a reload scans afresh.
    }
  };
  return {
    get: (ticketId) => live().find((entry) => entry.ticketId === ticketId)?.scanToken,
    remember: (ticketId, scanToken, until) =>
      write([...live().filter((entry) => entry.ticketId !== ticketId), { ticketId, scanToken, until }]),
    forget: (ticketId) => write(live().filter((entry) => entry.ticketId !== ticketId)),
  };
}

/** The stored entries; anything unreadable (another version's format, a hand edit) counts as none. */
function readEntries(storage: KeyValueStorage): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(storage.get(SCAN_TOKENS_STORAGE_KEY)));
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.ticketId === 'string' && typeof entry.scanToken === 'string' && typeof entry.until === 'number';
}
