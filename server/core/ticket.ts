import {
  AppError,
  TicketAlreadyConfirmed,
  TicketAlreadyScanned,
  TicketCancelled,
  TicketConfirming,
  TicketConsumed,
  TicketExpired,
  TicketNotScanned,
} from '../errors';

/**
 * A login ticket: one mini-program code shown on one web page.
 *
 *   pending ─scan─▶ scanned ─confirm─▶ confirmed ─consume─▶ consumed
 *   pending|scanned ─cancel─▶ cancelled
 *   pending|scanned ─expire─▶ expired
 *
 * `consumed` means the token was handed to the secret holder; clients see it as
 * `confirmed`, with the same token again only inside the redelivery window.
 *
 * A confirm first *reserves* the scanned ticket (`reserve`), then spends the WeChat code,
 * then commits (`confirm`) or gives the reservation back (`release`) if WeChat failed. So
 * of many racing confirms one spends its code; the others are refused before theirs.
 */
export type TicketState = 'pending' | 'scanned' | 'confirmed' | 'consumed' | 'cancelled' | 'expired';

/** The status clients see. */
export type TicketStatus = Exclude<TicketState, 'consumed'>;

export interface Requester {
  ip: string;
  userAgent: string;
}

/**
 * The site a ticket logs into when it is not this one: an OpenID Connect client whose
 * authorization is waiting on the ticket. The phone names it; only the browser of that
 * interaction can finish it.
 */
export interface RelyingParty {
  clientId: string;
  name: string;
  interaction: string;
}

export interface Ticket {
  id: string;
  /** SHA-256 of the browser's secret; the secret itself is never stored. */
  secretHash: string;
  state: TicketState;
  /** Bumped by every transition; stores compare-and-set on it. */
  version: number;
  createdAt: number;
  expiresAt: number;
  requester: Requester;
  relyingParty?: RelyingParty;
  /** SHA-256 of the scan token handed to the first scanner. */
  scanTokenHash?: string;
  scannedAt?: number;
  launchScene?: number;
  /** A confirm in progress: who holds it and until when (a crashed confirm lapses). */
  confirming?: { by: string; until: number };
  userId?: string;
  confirmedAt?: number;
  /** What the page receives: set at confirm, handed over by `consume`. */
  token?: string;
  /** The first delivery of the token; redelivery is measured from it. */
  deliveredAt?: number;
}

export type TicketEvent =
  | { type: 'scan'; scanTokenHash: string; launchScene?: number }
  | { type: 'reserve'; by: string; until: number }
  | { type: 'release'; by: string }
  | { type: 'confirm'; by: string; userId: string; token: string }
  | { type: 'cancel' }
  | { type: 'expire' }
  | { type: 'consume' }
  | { type: 'forget' };

export type Transition = { ok: true; ticket: Ticket } | { ok: false; error: AppError };

export function statusOf(ticket: Ticket): TicketStatus {
  return ticket.state === 'consumed' ? 'confirmed' : ticket.state;
}

export function isOpen(ticket: Ticket): boolean {
  return ticket.state === 'pending' || ticket.state === 'scanned';
}

/** True while a confirm holds the ticket. */
export function isConfirming(ticket: Ticket, now: number): boolean {
  return ticket.confirming !== undefined && ticket.confirming.until > now;
}

/**
 * True when an open ticket has outlived its lifetime and should move to `expired`. A
 * confirm that reserved in time may finish: the user's code is already spent on it.
 */
export function isDue(ticket: Ticket, now: number): boolean {
  return isOpen(ticket) && now >= ticket.expiresAt && !isConfirming(ticket, now);
}

/** Why a ticket no longer serves its code (expired, cancelled, used), or undefined while it is open. */
export function closedReason(ticket: Ticket): AppError | undefined {
  return isOpen(ticket) ? undefined : refusal(ticket, 'expire');
}

/** Why a step cannot happen in the ticket's current state (for states other than `from`). */
function refusal(ticket: Ticket, step: TicketEvent['type']): AppError {
  switch (ticket.state) {
    case 'pending':
      return new TicketNotScanned();
    case 'scanned':
      return new TicketAlreadyScanned();
    case 'confirmed':
      return new TicketAlreadyConfirmed();
    case 'consumed':
      // A second confirm is a conflict whether or not the token has left yet;
      // anything else on a used ticket is "gone".
      return step === 'confirm' ? new TicketAlreadyConfirmed() : new TicketConsumed();
    case 'cancelled':
      return new TicketCancelled();
    case 'expired':
      return new TicketExpired();
  }
}

const FROM: Record<TicketEvent['type'], readonly TicketState[]> = {
  scan: ['pending'],
  reserve: ['scanned'],
  release: ['scanned'],
  confirm: ['scanned'],
  cancel: ['pending', 'scanned'],
  expire: ['pending', 'scanned'],
  consume: ['confirmed'],
  forget: ['consumed'],
};

/** Why a step the state allows is still refused: someone else's confirm is under way. */
function reservationRefusal(ticket: Ticket, event: TicketEvent, now: number): AppError | undefined {
  switch (event.type) {
    case 'reserve':
    case 'cancel':
      return isConfirming(ticket, now) ? new TicketConfirming() : undefined;
    case 'release':
    case 'confirm':
      return ticket.confirming?.by === event.by ? undefined : new TicketConfirming();
    default:
      return undefined;
  }
}

/**
 * Applies one event. Pure: the caller stores the result with compare-and-set on
 * `version`, so two racing callers cannot both win. Open tickets past their lifetime
 * refuse every step but `expire`.
 */
export function transition(ticket: Ticket, event: TicketEvent, now: number): Transition {
  if (event.type !== 'expire' && isDue(ticket, now)) return { ok: false, error: new TicketExpired() };
  if (!FROM[event.type].includes(ticket.state)) return { ok: false, error: refusal(ticket, event.type) };
  const busy = reservationRefusal(ticket, event, now);
  if (busy) return { ok: false, error: busy };

  // One spread per step: spreading a fresh spread (a `next` with the version, then the
  // step's fields) cost V8 twenty times as much, 4 µs here, twice per compare-and-set.
  const version = ticket.version + 1;
  switch (event.type) {
    case 'scan':
      return {
        ok: true,
        ticket: {
          ...ticket,
          version,
          state: 'scanned',
          scanTokenHash: event.scanTokenHash,
          scannedAt: now,
          launchScene: event.launchScene,
        },
      };
    case 'reserve':
      return { ok: true, ticket: { ...ticket, version, confirming: { by: event.by, until: event.until } } };
    case 'release':
      return { ok: true, ticket: { ...ticket, version, confirming: undefined } };
    case 'confirm':
      return {
        ok: true,
        ticket: {
          ...ticket,
          version,
          state: 'confirmed',
          confirming: undefined,
          userId: event.userId,
          token: event.token,
          confirmedAt: now,
        },
      };
    case 'cancel':
      return { ok: true, ticket: { ...ticket, version, state: 'cancelled' } };
    case 'expire':
      return { ok: true, ticket: { ...ticket, version, state: 'expired' } };
    case 'consume':
      return { ok: true, ticket: { ...ticket, version, state: 'consumed', deliveredAt: now } };
    case 'forget':
      // Past the redelivery window the token has no business staying in the store.
      return { ok: true, ticket: { ...ticket, version, token: undefined } };
  }
}
