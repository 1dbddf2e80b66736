import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../server/core/clock';
import type { Ticket } from '../../../server/core/ticket';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { SqliteTicketStore } from '../../../server/stores/sqlite-ticket-store';
import { tempDir } from '../../support/temp-dir';
import { describeTicketStoreContract, pendingTicket } from './ticket-store-contract';

describeTicketStoreContract('SqliteTicketStore', async (clock) => {
  const dir = tempDir();
  const db = openSqlite(join(dir.path, 'tickets.db'));
  return {
    store: new SqliteTicketStore(db, clock),
    cleanup: () => {
      db.close();
      dir.remove();
    },
  };
});

describe('SqliteTicketStore', () => {
  const clock = new ManualClock();
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let db: SqliteDatabase;
  let store: SqliteTicketStore;

  const ticket = (id: string) => pendingTicket(clock, id, 1000);

  const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;

  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, 'tickets.db');
    db = openSqlite(file);
    store = new SqliteTicketStore(db, clock);
  });

  afterEach(async () => {
    await store.close();
    if (db.open) db.close();
    dir.remove();
  });

  it('finds a ticket again after the database is closed and reopened on the same file', async () => {
    const scanned: Ticket = { ...ticket('AAAAAAAAAAAAAAAAAAAAAA'), state: 'scanned', version: 1, scanTokenHash: 's' };
    await store.create(ticket(scanned.id), clock.now() + 5000);
    await store.compareAndSet(scanned, 0, clock.now() + 5000);
    await store.close();
    db.close();

    db = openSqlite(file);
    store = new SqliteTicketStore(db, clock);
    expect(await store.get(scanned.id)).toStrictEqual(scanned);
  });

  it('leaves the shared database open when it closes', async () => {
    await store.create(ticket('AAAAAAAAAAAAAAAAAAAAAA'), clock.now() + 5000);
    await store.close();
    expect(db.open).toBe(true);
    expect(rows()).toBe(1);
  });

  /** A second connection to the same file, closed after `use`. */
  async function withSecondConnection(use: (otherStore: SqliteTicketStore) => Promise<void>): Promise<void> {
    const other = openSqlite(file);
    const otherStore = new SqliteTicketStore(other, clock);
    try {
      await use(otherStore);
    } finally {
      await otherStore.close();
      other.close();
    }
  }

  it('checks the version in the file, so a second connection cannot win a write already made', () =>
    withSecondConnection(async (otherStore) => {
      const base = ticket('AAAAAAAAAAAAAAAAAAAAAA');
      await store.create(base, clock.now() + 5000);
      expect(await store.compareAndSet({ ...base, state: 'scanned', version: 1 }, 0, clock.now() + 5000)).toBe(true);
      expect(await otherStore.compareAndSet({ ...base, state: 'cancelled', version: 1 }, 0, clock.now() + 5000)).toBe(
        false,
      );
      expect((await otherStore.get(base.id))?.state).toBe('scanned');
    }));

  it('refuses its own write once another connection wrote the ticket, and then reads what the file holds', () =>
    withSecondConnection(async (otherStore) => {
      const base = ticket('AAAAAAAAAAAAAAAAAAAAAA');
      await store.create(base, clock.now() + 5000);
      expect((await store.get(base.id))?.state).toBe('pending');
      expect(await otherStore.compareAndSet({ ...base, state: 'cancelled', version: 1 }, 0, clock.now() + 5000)).toBe(
        true,
      );

      expect(await store.compareAndSet({ ...base, state: 'scanned', version: 1 }, 0, clock.now() + 5000)).toBe(false);
      expect(await store.get(base.id)).toMatchObject({ state: 'cancelled', version: 1 });
    }));

  it('hands out tickets frozen, so no caller changes one that others share', async () => {
    const base = ticket('AAAAAAAAAAAAAAAAAAAAAA');
    await store.create({ ...base }, clock.now() + 5000);
    const read = await store.get(base.id);
    expect(Object.isFrozen(read)).toBe(true);
    expect(Object.isFrozen(read?.requester)).toBe(true);
  });

  it('stores the retention a write names, and keeps it through writes that leave it', async () => {
    const base = ticket('AAAAAAAAAAAAAAAAAAAAAA');
    const retention = () => (db.prepare('SELECT retain_until AS r FROM tickets').get() as { r: number }).r;
    await store.create(base, clock.now() + 5000);
    await store.compareAndSet({ ...base, state: 'scanned', version: 1 }, 0, clock.now() + 5000);
    expect(retention()).toBe(clock.now() + 5000);
    await store.compareAndSet({ ...base, state: 'cancelled', version: 2 }, 1, clock.now() + 9000);
    expect(retention()).toBe(clock.now() + 9000);
    clock.advance(6000);
    expect((await store.get(base.id))?.state).toBe('cancelled');
  });

  it('refuses a write to a ticket past its retention that was not swept yet', async () => {
    const base = ticket('AAAAAAAAAAAAAAAAAAAAAA');
    await store.create(base, clock.now() + 1000);
    clock.advance(1000);
    expect(rows()).toBe(1);
    expect(await store.compareAndSet({ ...base, version: 1 }, 0, clock.now() + 5000)).toBe(false);
  });

  it('sweeps rows past their retention and keeps the others', async () => {
    await store.create(ticket('AAAAAAAAAAAAAAAAAAAAAA'), clock.now() + 1000);
    await store.create(ticket('BBBBBBBBBBBBBBBBBBBBBB'), clock.now() + 5000);
    clock.advance(1000);
    store.sweep();
    expect(db.prepare('SELECT id FROM tickets').all()).toEqual([{ id: 'BBBBBBBBBBBBBBBBBBBBBB' }]);
  });

  it('sweeps on its timer until it is closed', async () => {
    await store.close();
    store = new SqliteTicketStore(db, clock, 10);
    await store.create(ticket('AAAAAAAAAAAAAAAAAAAAAA'), clock.now() + 1000);
    clock.advance(1000);
    await sleep(50);
    expect(rows()).toBe(0);

    await store.close();
    await store.create(ticket('BBBBBBBBBBBBBBBBBBBBBB'), clock.now() + 1000);
    clock.advance(1000);
    await sleep(50);
    expect(rows()).toBe(1);
  });
});
