import pg from 'pg';
import { StoreUnavailable } from '../../../server/errors';
import { createLogger } from '../../../server/log';
import { migratePostgres, openPostgres, POSTGRES_MIGRATIONS } from '../../../server/stores/postgres-database';
import { describeWithPostgres, silentLog, UNREACHABLE_POSTGRES_URL } from '../../support/postgres';
import { until } from '../../support/server-process';

async function rows<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tables = (url: string) =>
  rows<{ table_name: string }>(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  ).then((found) => found.map((row) => row.table_name));

describeWithPostgres('openPostgres', (databaseUrl) => {
  it('creates the schema once when two instances start together, and applies nothing on the next start', async () => {
    const open = () => openPostgres({ url: databaseUrl(), log: silentLog });
    const pools = await Promise.all([open(), open()]);
    await Promise.all(pools.map((pool) => pool.end()));
    const recorded = await rows(databaseUrl(), 'SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(recorded.map((row) => row.version)).toStrictEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
    expect(await tables(databaseUrl())).toStrictEqual([
      'login_audit',
      'oidc_keys',
      'revoked_tokens',
      'schema_migrations',
      'users',
      'wechat_access_token',
    ]);

    await (await open()).end();
    expect(await rows(databaseUrl(), 'SELECT version, applied_at FROM schema_migrations ORDER BY version')).toStrictEqual(
      recorded,
    );
  });

  it('keeps serving after PostgreSQL ends its connection, and logs the loss instead of crashing', async () => {
    const warnings: { msg: string; code?: string }[] = [];
    const log = createLogger('warn', { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const pool = await openPostgres({ url: databaseUrl(), log });
    try {
      const [{ pid }] = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await rows(databaseUrl(), `SELECT pg_terminate_backend(${pid})`);
      await until(() => warnings.length > 0, 5_000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code: '57P01', msg: 'PostgreSQL connection lost; the pool reconnects' });
      expect(JSON.stringify(warnings)).not.toContain('client');
      expect((await pool.query('SELECT 1 AS one')).rows).toStrictEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('rejects with StoreUnavailable when PostgreSQL cannot be reached', async () => {
    await expect(openPostgres({ url: UNREACHABLE_POSTGRES_URL, log: silentLog })).rejects.toBeInstanceOf(
      StoreUnavailable,
    );
  });
});

describeWithPostgres('migratePostgres', (databaseUrl) => {
  // The sleep holds the first migration open long enough for every instance to be waiting.
  const counted = `CREATE TABLE runs (n INTEGER); INSERT INTO runs VALUES (1); SELECT pg_sleep(0.2);`;
  const broken = `CREATE TABLE half_done (n INTEGER); SELEC 'typo'`;
  const fixed = `CREATE TABLE done (n INTEGER)`;

  it('applies each pending migration exactly once when five instances migrate together', async () => {
    await Promise.all(Array.from({ length: 5 }, () => migratePostgres({ url: databaseUrl() }, [counted])));
    expect(await rows(databaseUrl(), 'SELECT n FROM runs')).toStrictEqual([{ n: 1 }]);
    expect(await rows(databaseUrl(), 'SELECT version FROM schema_migrations')).toStrictEqual([{ version: 1 }]);
  });

  it('rolls back a failing migration, records nothing of it and frees the lock for the next start', async () => {
    const failure = await migratePostgres({ url: databaseUrl() }, [counted, broken]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(pg.DatabaseError);
    expect(await tables(databaseUrl())).not.toContain('half_done');
    expect(await rows(databaseUrl(), 'SELECT version FROM schema_migrations')).toStrictEqual([{ version: 1 }]);

    await migratePostgres({ url: databaseUrl() }, [counted, fixed]);
    expect(await tables(databaseUrl())).toContain('done');
    expect(await rows(databaseUrl(), 'SELECT version FROM schema_migrations ORDER BY version')).toStrictEqual([
      { version: 1 },
      { version: 2 },
    ]);
  });
});
