import { useCallback, useEffect, useRef, useState } from 'react';
import { LoginClient, type LoginEvents, type LoginTicket, type TicketStatus } from '../client';
import { clearTicket, readTicket, saveTicket, ticketKey } from './session-ticket';

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
  /** Where tickets are created, when not under `prefix` (see LoginClient's `ticketsUrl`). */
  ticketsUrl?: string;
}

/** What the host hears of the login's outcome. */
export interface FlowHandlers {
  /** With the token and user, once a login succeeds. */
  onConfirmed: (login: LoginEvents['confirmed']) => void;
  /** Once the phone cancelled the ticket on screen. */
  onCancelled: () => void;
}

/**
 * Drives one LoginClient while `active`: the current ticket and status (resumed after a
 * reload), errors, whether the server is out of reach, manual and automatic refresh.
 */
export function useLoginFlow({ active, server, prefix, ticketsUrl }: FlowTarget, handlers: FlowHandlers) {
  const [view, setView] = useState<LoginView>({ phase: 'loading', previous: null });
  const [unreachable, setUnreachable] = useState(false);
  const clientRef = useRef<LoginClient | null>(null);
  // The latest handlers, without restarting the login when a host passes new functions.
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const key = ticketKey(ticketsUrl);
  const autoRefreshes = useRef(0);

  useEffect(() => {
    if (!active) return;
    const client = new LoginClient({ baseUrl: server, prefix, ticketsUrl });
    clientRef.current = client;
    let ticket: LoginTicket | null = null;
    // The client has stopped: nothing left to resume, nothing being retried.
    const ended = () => {
      clearTicket(key);
      setUnreachable(false);
    };
    const listeners = [
      client.on('resumable', (saved) => saveTicket(key, saved)),
      client.on('ticket', (next) => {
        ticket = next;
      }),
      client.on('status', ({ status }) => {
        if (status === 'scanned') autoRefreshes.current = 0;
        if (status === 'confirmed' || status === 'cancelled' || status === 'expired') ended();
        if (ticket) setView({ phase: 'ticket', ticket, status });
        if (status === 'cancelled') handlersRef.current.onCancelled();
      }),
      client.on('reachability', ({ reachable }) => setUnreachable(!reachable)),
      client.on('confirmed', (login) => handlersRef.current.onConfirmed(login)),
      client.on('error', ({ code }) => {
        ended();
        setView({ phase: 'error', code });
      }),
    ];
    setView({ phase: 'loading', previous: null });
    const saved = readTicket(key);
    if (saved) client.resume(saved);
    else client.start();
    return () => {
      for (const off of listeners) off();
      client.stop();
      clientRef.current = null;
    };
  }, [active, server, prefix, ticketsUrl, key]);

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
    clearTicket(key);
    setUnreachable(false);
    setView({ phase: 'error', code });
  }, [key]);

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
