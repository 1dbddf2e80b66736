import { useCallback, useEffect, useRef, useState } from 'react';
import { LoginClient, type LoginEvents, type LoginTicket, type TicketStatus } from '../client';
import { clearTicket, readTicket, saveTicket } from './session-ticket';

export type LoginView =
  | { phase: 'loading'; previous: LoginTicket | null }
  | { phase: 'ticket'; ticket: LoginTicket; status: TicketStatus }
  | { phase: 'error'; code: string };

// An abandoned but visible tab would otherwise mint a ticket every two minutes forever.
const MAX_AUTO_REFRESHES = 5;
// Long enough to read "expired" before the fresh code replaces it.
const AUTO_REFRESH_DELAY_MS = 1500;

/** Which login server, and whether to log in now. */
export interface FlowTarget {
  active: boolean;
  /** The login server's base URL. */
  server: string;
  prefix: string;
}

/**
 * Drives one LoginClient while `active`: the current ticket and status (resumed after a
 * reload), errors, whether the server is out of reach, manual and automatic refresh.
 * Calls `onConfirmed` with the token and user once a login succeeds.
 */
export function useLoginFlow(
  { active, server, prefix }: FlowTarget,
  onConfirmed: (login: LoginEvents['confirmed']) => void,
) {
  const [view, setView] = useState<LoginView>({ phase: 'loading', previous: null });
  const [unreachable, setUnreachable] = useState(false);
  const clientRef = useRef<LoginClient | null>(null);
  const confirmedRef = useRef(onConfirmed);
  confirmedRef.current = onConfirmed;
  const autoRefreshes = useRef(0);

  useEffect(() => {
    if (!active) return;
    const client = new LoginClient({ baseUrl: server, prefix });
    clientRef.current = client;
    let ticket: LoginTicket | null = null;
    // The client has stopped: nothing left to resume, nothing being retried.
    const ended = () => {
      clearTicket();
      setUnreachable(false);
    };
    const listeners = [
      client.on('resumable', saveTicket),
      client.on('ticket', (next) => {
        ticket = next;
      }),
      client.on('status', ({ status }) => {
        if (status === 'scanned') autoRefreshes.current = 0;
        if (status === 'confirmed' || status === 'cancelled' || status === 'expired') ended();
        if (ticket) setView({ phase: 'ticket', ticket, status });
      }),
      client.on('reachability', ({ reachable }) => setUnreachable(!reachable)),
      client.on('confirmed', (login) => confirmedRef.current(login)),
      client.on('error', ({ code }) => {
        ended();
        setView({ phase: 'error', code });
      }),
    ];
    setView({ phase: 'loading', previous: null });
    const saved = readTicket();
    if (saved) client.resume(saved);
    else client.start();
    return () => {
      for (const off of listeners) off();
      client.stop();
      clientRef.current = null;
    };
  }, [active, server, prefix]);

  const restart = useCallback(() => {
    setView((current) => ({ phase: 'loading', previous: current.phase === 'ticket' ? current.ticket : null }));
    setUnreachable(false);
    clientRef.current?.start();
  }, []);

  const refresh = useCallback(() => {
    autoRefreshes.current = 0;
    restart();
  }, [restart]);

  /** The code image failed to load: the code is useless, so stop and say why. */
  const fail = useCallback((code: string) => {
    clientRef.current?.stop();
    clearTicket();
    setUnreachable(false);
    setView({ phase: 'error', code });
  }, []);

  const expired = view.phase === 'ticket' && view.status === 'expired';
  useEffect(() => {
    if (!expired || autoRefreshes.current >= MAX_AUTO_REFRESHES) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      if (timer !== undefined || document.visibilityState !== 'visible') return;
      timer = setTimeout(() => {
        autoRefreshes.current += 1;
        restart();
      }, AUTO_REFRESH_DELAY_MS);
    };
    schedule();
    document.addEventListener('visibilitychange', schedule);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', schedule);
    };
  }, [expired, restart]);

  return { view, unreachable, refresh, fail };
}
