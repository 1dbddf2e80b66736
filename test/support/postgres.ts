import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger } from '../../server/log';
import { openPostgres } from '../../server/stores/postgres-database';
import { neededService } from './needed-service';

/**
 * The shared PostgreSQL harness for store tests. Usage:
 *
 *   describeWithPostgres('PostgresUserStore', (databaseUrl) => {
 *     const pools = instancePools(databaseUrl);
 *     it('…', async () => { const users = new PostgresUserStore(pools()[0]); … });
 *   });
 *
 * Tests use a real PostgreSQL (`TEST_DATABASE_URL`, by default the local cluster as user
 * postgres). The server may be shared, so each suite creates a database of its own,
 * `mp_scan_login_test_<random>`, and drops it after the suite; no other database is
 * touched. Without a reachable PostgreSQL the suite fails when CI=true and is skipped
 * otherwise, with the command that starts the local cluster.
 */

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const POSTGRES_HINT =
  'PostgreSQL is not reachable: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** Nothing listens on port 1: connecting is refused at once. */
export const UNREACHABLE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:1/postgres';

export const silentLog = createLogger('silent');

/** The URL with its password masked, fit for a test's output. */
function shown(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

let reachability: string | undefined;

/**
 * Why PostgreSQL cannot be used, or '' when it can. Jest collects suites synchronously, so
 * the check runs a child process (once per test file) that connects and exits.
 */
function unreachableReason(): string {
  if (reachability === undefined) {
    const script = `new (require(${JSON.stringify(require.resolve('pg'))}).Client)(process.env.URL).connect().then(
      () => process.exit(0), (e) => { process.stderr.write(String(e.message || e.code)); process.exit(1); })`;
    const probe = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, URL: POSTGRES_URL },
      encoding: 'utf8',
      timeout: 10_000,
    });
    reachability = probe.status === 0 ? '' : probe.stderr.trim() || 'no answer within 10 s';
  }
  return reachability;
}

/** Runs one statement on the server's maintenance database, outside any test database. */
export async function administer(sql: string): Promise<void> {
  const client = new pg.Client(POSTGRES_URL);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `describe` with a fresh, empty database for the suite; `databaseUrl()` returns its URL
 * inside tests and hooks.
 */
export function describeWithPostgres(name: string, body: (databaseUrl: () => string) => void): void {
  const reason = unreachableReason();
  const hint = reason ? `${POSTGRES_HINT} (${shown(POSTGRES_URL)}: ${reason})` : undefined;
  const skip = () =>
    describe.skip(name, () =>
      body(() => {
        throw new Error(hint);
      }),
    );
  if (!neededService(name, 'PostgreSQL', hint, skip)) return;
  describe(name, () => {
    // Random, so suites running side by side (Jest workers, other checkouts) never meet.
    const database = `mp_scan_login_test_${randomBytes(6).toString('hex')}`;
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    let created = false;
    const databaseUrl = (): string => {
      if (!created) throw new Error('the database is not created yet: call databaseUrl() inside a test or hook');
      return url.toString();
    };
    beforeAll(async () => {
      // template0, not template1: a session someone left open on template1 would make
      // CREATE DATABASE fail.
      await administer(`CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8'`);
      created = true;
    });
    body(databaseUrl);
    // Declared after the body's hooks, so it runs after they closed their pools; FORCE ends
    // whatever connection a failed test left open.
    afterAll(async () => {
      if (created) await administer(`DROP DATABASE ${database} WITH (FORCE)`);
    });
  });
}

/**
 * Two pools on the suite's database, as two instances of the server have: opened together
 * before the suite (so both migrate at once, and the advisory lock lets one of them do it)
 * and ended after it. `pools()` returns them inside tests and hooks.
 */
export function instancePools(databaseUrl: () => string): () => [pg.Pool, pg.Pool] {
  let pools: [pg.Pool, pg.Pool] | undefined;
  beforeAll(async () => {
    const open = () => openPostgres({ url: databaseUrl(), log: silentLog });
    pools = await Promise.all([open(), open()]);
  });
  afterAll(async () => {
    await Promise.all((pools ?? []).map((pool) => pool.end()));
  });
  return () => {
    if (!pools) throw new Error('the pools are not open yet: call pools() inside a test or hook');
    return pools;
  };
}
