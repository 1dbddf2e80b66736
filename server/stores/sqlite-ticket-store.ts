import type { Clock } from '../core/clock';
import type { Ticket } from '../core/ticket';
import type { SqliteDatabase } from './sqlite-database';
import type { TicketStore } from './ticket-store';

interface TicketParams {
  id: string;
  version: number;
  expiresAt: number;
  retainUntil: number;
  ticket: string;
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
 */
export class SqliteTicketStore implements TicketStore {
  private readonly insert;
  private readonly select;
  private readonly update;
  private readonly purge;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: Clock,
    sweepIntervalMs = 30_000,
  ) {
    this.insert = db.prepare<[TicketParams]>(`
      INSERT INTO tickets (id, version, expires_at, retain_until, ticket)
      VALUES (@id, @version, @expiresAt, @retainUntil, @ticket)`);
    this.select = db.prepare<[string, number], { ticket: string }>(
      'SELECT ticket FROM tickets WHERE id = ? AND retain_until > ?',
    );
    // One statement, so the version check and the write cannot interleave with another
    // writer, in this process or another one on the same file. A row past its retention
    // is gone for `get`, so it is gone for writers too, swept or not.
    this.update = db.prepare<[TicketParams & { expectedVersion: number; now: number }]>(`
      UPDATE tickets
      SET version = @version, expires_at = @expiresAt, retain_until = @retainUntil, ticket = @ticket
      WHERE id = @id AND version = @expectedVersion AND retain_until > @now`);
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
  }

  async get(id: string): Promise<Ticket | undefined> {
    const row = this.select.get(id, this.clock.now());
    return row && (JSON.parse(row.ticket) as Ticket);
  }

  async compareAndSet(next: Ticket, expectedVersion: number, retainUntil: number): Promise<boolean> {
    const result = this.update.run({ ...params(next, retainUntil), expectedVersion, now: this.clock.now() });
    return result.changes === 1;
  }

  /** Deletes tickets past their retention. */
  sweep(): void {
    this.purge.run(this.clock.now());
  }

  /** Stops sweeping; the database is shared with the other stores, so its owner closes it. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
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
