import pg from 'pg';
import { StoreUnavailable } from '../../../server/errors';
import { createPostgresPool } from '../../../server/stores/postgres-database';
import { query } from '../../../server/stores/postgres-query';
import { describeWithPostgres, silentLog } from '../../support/postgres';

describeWithPostgres('query', (databaseUrl) => {
  let pool: pg.Pool;

  beforeAll(() => {
    pool = createPostgresPool({ url: databaseUrl(), log: silentLog });
  });

  afterAll(async () => {
    await pool.end();
  });

  it('returns the rows, BIGINT as numbers', async () => {
    expect(await query(pool, 'SELECT $1::bigint AS at, $2::text AS name', [Date.UTC(2026, 0, 1, 0, 0, 0, 1), 'a'])).toStrictEqual([
      { at: Date.UTC(2026, 0, 1, 0, 0, 0, 1), name: 'a' },
    ]);
  });

  it('leaves a statement PostgreSQL refused as its error, not StoreUnavailable', async () => {
    const refusal = await query(pool, "SELEC 'typo'").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(pg.DatabaseError);
    expect(refusal).toMatchObject({ code: '42601' });
  });

  it('fails a statement that gets no answer in time as StoreUnavailable, then serves the next one', async () => {
    const impatient = createPostgresPool({ url: databaseUrl(), log: silentLog, queryTimeoutMs: 300 });
    try {
      await expect(query(impatient, 'SELECT pg_sleep(5)')).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        cause: { message: 'Query read timeout' },
      });
      expect(await query(impatient, 'SELECT 1 AS one')).toStrictEqual([{ one: 1 }]);
    } finally {
      await impatient.end();
    }
  });

  it('answers StoreUnavailable when PostgreSQL ends the session under a statement (57P01)', async () => {
    // Caught at once: it fails while the test is still busy ending the session.
    const sleeper = query(pool, 'SELECT pg_sleep(2)').catch((error: unknown) => error);
    const admin = new pg.Client(databaseUrl());
    await admin.connect();
    try {
      let pid: number | undefined;
      while (pid === undefined) {
        const { rows } = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'SELECT pg_sleep(2)' AND state = 'active'",
        );
        pid = rows[0]?.pid;
      }
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    const failure = await sleeper;
    expect(failure).toBeInstanceOf(StoreUnavailable);
    expect(failure).toMatchObject({ cause: { code: '57P01' } });
  });
});
