import { Ticket, TicketEvent, TicketState, isDue, statusOf, transition } from '../../../server/core/ticket';

const NOW = Date.UTC(2026, 0, 1);

function ticket(state: TicketState, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    secretHash: 'x',
    state,
    version: 3,
    createdAt: NOW - 1000,
    expiresAt: NOW + 60_000,
    requester: { ip: '127.0.0.1', userAgent: 'test' },
    ...overrides,
  };
}

const events: Record<TicketEvent['type'], TicketEvent> = {
  scan: { type: 'scan', scanTokenHash: 'h', launchScene: 1047 },
  reserve: { type: 'reserve', by: 'me', until: NOW + 30_000 },
  release: { type: 'release', by: 'me' },
  confirm: { type: 'confirm', by: 'me', userId: 'u1', token: 't' },
  cancel: { type: 'cancel' },
  expire: { type: 'expire' },
  consume: { type: 'consume' },
  forget: { type: 'forget' },
};

/** A scanned ticket whose confirm `by` holds until `until`. */
const reserved = (by = 'me', until = NOW + 30_000) => ticket('scanned', { confirming: { by, until } });

describe('ticket transition', () => {
  const allowed: [TicketState, TicketEvent['type'], TicketState][] = [
    ['pending', 'scan', 'scanned'],
    ['scanned', 'reserve', 'scanned'],
    ['confirmed', 'consume', 'consumed'],
    ['pending', 'cancel', 'cancelled'],
    ['scanned', 'cancel', 'cancelled'],
    ['pending', 'expire', 'expired'],
    ['scanned', 'expire', 'expired'],
  ];

  it.each(allowed)('moves %s --%s--> %s and bumps the version', (from, event, to) => {
    const result = transition(ticket(from), events[event], NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ticket.state).toBe(to);
    expect(result.ticket.version).toBe(4);
  });

  const forbidden: [TicketState, TicketEvent['type'], string][] = [
    ['pending', 'confirm', 'TICKET_NOT_SCANNED'],
    ['pending', 'consume', 'TICKET_NOT_SCANNED'],
    ['scanned', 'scan', 'TICKET_ALREADY_SCANNED'],
    ['scanned', 'consume', 'TICKET_ALREADY_SCANNED'],
    ['confirmed', 'scan', 'TICKET_ALREADY_CONFIRMED'],
    ['confirmed', 'confirm', 'TICKET_ALREADY_CONFIRMED'],
    ['confirmed', 'cancel', 'TICKET_ALREADY_CONFIRMED'],
    ['confirmed', 'expire', 'TICKET_ALREADY_CONFIRMED'],
    ['consumed', 'scan', 'TICKET_CONSUMED'],
    ['consumed', 'confirm', 'TICKET_ALREADY_CONFIRMED'],
    ['consumed', 'consume', 'TICKET_CONSUMED'],
    ['consumed', 'cancel', 'TICKET_CONSUMED'],
    ['cancelled', 'scan', 'TICKET_CANCELLED'],
    ['cancelled', 'confirm', 'TICKET_CANCELLED'],
    ['cancelled', 'cancel', 'TICKET_CANCELLED'],
    ['cancelled', 'expire', 'TICKET_CANCELLED'],
    ['expired', 'scan', 'TICKET_EXPIRED'],
    ['expired', 'confirm', 'TICKET_EXPIRED'],
    ['expired', 'cancel', 'TICKET_EXPIRED'],
    ['expired', 'expire', 'TICKET_EXPIRED'],
  ];

  it.each(forbidden)('refuses %s --%s--> with %s', (from, event, code) => {
    const result = transition(ticket(from), events[event], NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
  });

  it('refuses every step but expire once an open ticket is past expiresAt', () => {
    const late = ticket('scanned', { expiresAt: NOW });
    for (const type of ['scan', 'confirm', 'cancel', 'consume'] as const) {
      const result = transition(late, events[type], NOW);
      expect(result.ok ? 'ok' : result.error.code).toBe('TICKET_EXPIRED');
    }
    expect(transition(late, events.expire, NOW).ok).toBe(true);
  });

  it('lets a confirmed ticket be consumed after expiresAt: the login already happened', () => {
    const result = transition(ticket('confirmed', { expiresAt: NOW - 1 }), events.consume, NOW);
    expect(result.ok).toBe(true);
  });

  it('records who scanned, from where, and who confirmed', () => {
    const scanned = transition(ticket('pending'), events.scan, NOW);
    if (!scanned.ok) throw scanned.error;
    expect(scanned.ticket).toMatchObject({ scanTokenHash: 'h', scannedAt: NOW, launchScene: 1047 });
    const held = transition(scanned.ticket, events.reserve, NOW + 1);
    if (!held.ok) throw held.error;
    const confirmed = transition(held.ticket, events.confirm, NOW + 5);
    if (!confirmed.ok) throw confirmed.error;
    expect(confirmed.ticket).toMatchObject({ userId: 'u1', token: 't', confirmedAt: NOW + 5, version: 6 });
    expect(confirmed.ticket.confirming).toBeUndefined();
  });

  it('stamps the first delivery on consume and forgets the token afterwards', () => {
    const consumed = transition(ticket('confirmed', { token: 't' }), events.consume, NOW);
    if (!consumed.ok) throw consumed.error;
    expect(consumed.ticket.deliveredAt).toBe(NOW);
    const forgotten = transition(consumed.ticket, events.forget, NOW);
    expect(forgotten.ok && forgotten.ticket.token).toBeUndefined();
  });

  it('does not change the ticket it was given', () => {
    const original = ticket('pending');
    transition(original, events.scan, NOW);
    expect(original.state).toBe('pending');
    expect(original.version).toBe(3);
  });
});

describe('ticket reservation', () => {
  it('lets the holder confirm or release, and nobody else', () => {
    expect(transition(reserved(), events.confirm, NOW).ok).toBe(true);
    expect(transition(reserved(), events.release, NOW).ok).toBe(true);
    for (const type of ['confirm', 'release'] as const) {
      const result = transition(reserved('other'), events[type], NOW);
      expect(result.ok ? 'ok' : result.error.code).toBe('TICKET_CONFIRMING');
    }
  });

  it('refuses a confirm that did not reserve first', () => {
    const result = transition(ticket('scanned'), events.confirm, NOW);
    expect(result.ok ? 'ok' : result.error.code).toBe('TICKET_CONFIRMING');
  });

  it('refuses a second reservation and a cancel while one holds, and allows both once it lapses', () => {
    for (const type of ['reserve', 'cancel'] as const) {
      const held = transition(reserved('other'), events[type], NOW);
      expect(held.ok ? 'ok' : held.error.code).toBe('TICKET_CONFIRMING');
      expect(transition(reserved('other', NOW), events[type], NOW).ok).toBe(true);
    }
  });

  it('keeps a reserved ticket from expiring until the reservation lapses', () => {
    const late = reserved('me', NOW + 10);
    const past = { ...late, expiresAt: NOW - 1 };
    expect(isDue(past, NOW)).toBe(false);
    expect(transition(past, events.confirm, NOW).ok).toBe(true);
    expect(isDue(past, NOW + 10)).toBe(true);
  });
});


describe('ticket statusOf', () => {
  it('shows consumed as confirmed so clients never see the internal state', () => {
    expect(statusOf(ticket('consumed'))).toBe('confirmed');
    expect(statusOf(ticket('scanned'))).toBe('scanned');
  });
});

describe('ticket isDue', () => {
  it('is true for open tickets at or past expiresAt only', () => {
    expect(isDue(ticket('pending', { expiresAt: NOW }), NOW)).toBe(true);
    expect(isDue(ticket('pending', { expiresAt: NOW + 1 }), NOW)).toBe(false);
    expect(isDue(ticket('confirmed', { expiresAt: NOW - 1 }), NOW)).toBe(false);
  });
});
