import type { Clock } from '../core/clock';
import { isOpen, type Ticket } from '../core/ticket';
import type { SqliteDatabase } from './sqlite-database';
import type { TicketStore } from './ticket-store';

interface TicketParams {
  id: string;
  version: number;
  expiresAt: number;
  retainUntil: number;
  ticket: string;
}

interface UpdateParams extends TicketParams {
  expectedVersion: number;
  now: number;
}

/**
 * Tickets in the embedded SQLite file, so a page that reconnects after a restart or a
 * deploy finds its ticket again.
 *
 * The ticket is stored whole, as JSON: the store never filters on its inner fields, and
 * the ticket grows with the core (scan, confirm, redelivery), which as explicit columns
 * would need a migration and a mapping change for every new field. Only what SQL itself
 * must see is a column: `id` and `version` for compare-and-set, `retain_until` for
 * reads and the sweep, `expires_at` so due tickets can be found by query after a restart.
 *
 * The file is the truth; this process keeps its own copy of each ticket still in play
 * (open, or confirmed and not yet handed over), so the scan, the confirm and the push
 * that follows read no row and parse no JSON: on the scan path that read was a tenth of
 * the time to the page's push. Every write still goes to the file as one compare-and-set,
 * so a single-use step has one winner even against another connection to the same file;
 * a write refused there drops the copy, and the loser re-reads what the file holds.
 */
export class SqliteTicketStore implements TicketStore {
  private readonly insert;
  private readonly select;
  private readonly update;
  /** The same compare-and-set when `retain_until` stays put (a scan, a reservation): its index is left untouched. */
  private readonly updateKeepingRetention;
  private readonly purge;
  /**
   * The tickets still in play, as last written or read here. An open ticket nobody touched
   * again stays until the sweep after its retention, so this holds at most what the table
   * holds, and the live-ticket caps bound both.
   */
  private readonly inPlay = new Map<string, { ticket: Ticket; retainUntil: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: Clock,
    sweepIntervalMs = 30_000,
  ) {
    this.insert = db.prepare<[TicketParams]>(`
      INSERT INTO tickets (id, version, expires_at, retain_until, ticket)
      VALUES (@id, @version, @expiresAt, @retainUntil, @ticket)`);
    this.select = db.prepare<[string, number], { ticket: string; retainUntil: number }>(
      'SELECT ticket, retain_until AS retainUntil FROM tickets WHERE id = ? AND retain_until > ?',
    );
    // One statement, so the version check and the write cannot interleave with another
    // writer, in this process or another one on the same file. A row past its retention
    // is gone for `get`, so it is gone for writers too, swept or not.
    this.update = db.prepare<[UpdateParams]>(`
      UPDATE tickets
      SET version = @version, expires_at = @expiresAt, retain_until = @retainUntil, ticket = @ticket
      WHERE id = @id AND version = @expectedVersion AND retain_until > @now`);
    this.updateKeepingRetention = db.prepare<[UpdateParams]>(`
      UPDATE tickets
      SET version = @version, expires_at = @expiresAt, ticket = @ticket
      WHERE id = @id AND version = @expectedVersion AND retain_until > @now AND retain_until = @retainUntil`);
    this.purge = db.prepare<[number]>('DELETE FROM tickets WHERE retain_until <= ?');
    this.sweeper = setInterval(() => {
      // The server closes the database after the stores; a tick that lands in between
      // must not throw from a timer and take the process down.
      if (this.db.open) this.sweep();
    }, sweepIntervalMs);
    this.sweeper.unref();
  }

  async create(ticket: Ticket, retainUntil: number): Promise<void> {
    try {
      this.insert.run(params(ticket, retainUntil));
    } catch (error) {
      // Said as every store says it (the ids are random: a clash is a bug, not a state).
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new Error(`ticket ${ticket.id} already exists`);
      }
      throw error;
    }
    this.remember(ticket, retainUntil);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const now = this.clock.now();
    const kept = this.inPlay.get(id);
    if (kept && kept.retainUntil > now) return kept.ticket;
    const row = this.select.get(id, now);
    if (!row) return undefined;
    const ticket = JSON.parse(row.ticket) as Ticket;
    this.remember(ticket, row.retainUntil);
    return ticket;
  }

  async compareAndSet(next: Ticket, expectedVersion: number, retainUntil: number): Promise<boolean> {
    const kept = this.inPlay.get(next.id);
    const update = kept?.retainUntil === retainUntil ? this.updateKeepingRetention : this.update;
    const result = update.run(updateParams(next, retainUntil, expectedVersion, this.clock.now()));
    if (result.changes !== 1) {
      // Someone else's write (or a retention we did not know of): the file says what is true.
      this.inPlay.delete(next.id);
      return false;
    }
    this.remember(next, retainUntil);
    return true;
  }

  /** Deletes tickets past their retention. */
  sweep(): void {
    const now = this.clock.now();
    this.purge.run(now);
    for (const [id, kept] of this.inPlay) if (kept.retainUntil <= now) this.inPlay.delete(id);
  }

  /**
   * Keeps the copy of a ticket still in play, frozen: callers share it, and the core
   * never changes a ticket in place (every step makes a new one). A finished ticket is
   * read from the file the few times it is asked for again.
   */
  private remember(ticket: Ticket, retainUntil: number): void {
    if (isOpen(ticket) || ticket.state === 'confirmed') {
      this.inPlay.set(ticket.id, { ticket: deepFreeze(ticket), retainUntil });
    } else {
      this.inPlay.delete(ticket.id);
    }
  }

  /** Stops sweeping; the database is shared with the other stores, so its owner closes it. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') deepFreeze(inner);
  return Object.freeze(value);
}

function params(ticket: Ticket, retainUntil: number): TicketParams {
  return {
    id: ticket.id,
    version: ticket.version,
    expiresAt: ticket.expiresAt,
    retainUntil,
    ticket: JSON.stringify(ticket),
  };
}

function updateParams(next: Ticket, retainUntil: number, expectedVersion: number, now: number): UpdateParams {
  // Added to, not spread: spreading a fresh object into one with new keys cost 3 µs here.
  const update = params(next, retainUntil) as UpdateParams;
  update.expectedVersion = expectedVersion;
  update.now = now;
  return update;
}
