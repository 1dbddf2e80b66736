import pg from 'pg';
import type { Logger } from 'pino';
import { asStoreError } from './postgres-query';

/**
 * Schema changes for PostgreSQL, applied in order at start-up; each runs once, in a
 * transaction, and is recorded in `schema_migrations`. The same tables as SQLite's
 * (sqlite-database.ts) for what instances share: users, their logins, logged-out tokens and
 * the WeChat access token. Times are ms since the epoch, as in SQLite. Never edit a shipped
 * migration: add the next one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id            TEXT PRIMARY KEY,
     openid        TEXT NOT NULL UNIQUE,
     unionid       TEXT,
     nickname      TEXT,
     avatar_url    TEXT,
     created_at    BIGINT NOT NULL,
     last_login_at BIGINT NOT NULL
   );
   CREATE TABLE login_audit (
     id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     ticket_id    TEXT NOT NULL,
     user_id      TEXT NOT NULL REFERENCES users(id),
     ip           TEXT NOT NULL,
     user_agent   TEXT NOT NULL,
     launch_scene INTEGER,
     created_at   BIGINT NOT NULL
   );
   CREATE INDEX login_audit_user ON login_audit(user_id, created_at);
   CREATE TABLE wechat_access_token (
     appid        TEXT PRIMARY KEY,
     access_token TEXT NOT NULL,
     expires_at   BIGINT NOT NULL
   );
   CREATE TABLE revoked_tokens (
     token_id   TEXT PRIMARY KEY,
     expires_at BIGINT NOT NULL
   );`,
  // The OpenID provider's keys (server/oidc/postgres-oidc-keys.ts), which a single instance
  // keeps in DATA_DIR files: one row per file, `value` that file's JSON.
  `CREATE TABLE oidc_keys (
     name       TEXT PRIMARY KEY,
     value      JSONB NOT NULL,
     created_at BIGINT NOT NULL
   );`,
];

// Any fixed key will do; advisory locks are per database, so deployments on other databases
// of the same server never wait for each other.
const MIGRATION_LOCK = 0x6d70_7363_616e;

// pg hands BIGINT back as a string (it may exceed 2^53); ours are ms timestamps and
// counters, exact as doubles, so the stores see numbers as they do from SQLite.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`, as DATABASE_URL gives it. */
  url: string;
  log: Logger;
  /** How long opening a connection may take; a PostgreSQL that drops packets fails fast. */
  connectTimeoutMs?: number;
  /** How long a statement may wait for its answer; the connection is then dropped. */
  queryTimeoutMs?: number;
}

/**
 * The pool the stores of one instance share; whoever opened it ends it, after the stores.
 * A failure to connect, or an answer that does not come in time, is StoreUnavailable (see
 * postgres-query.ts), so a request gets its 503 instead of hanging.
 */
export function createPostgresPool(options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    types,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    query_timeout: options.queryTimeoutMs ?? 5_000,
  });
  // An idle connection that drops (a restart, a failover) is reported here, and an
  // unhandled 'error' event would end the process. The pool has already discarded that
  // connection and opens a new one for the next query. Only code and message are logged:
  // pg attaches the client, connection settings and password included, to the error.
  pool.on('error', (error: Error & { code?: string }) => {
    options.log.warn({ code: error.code, message: error.message }, 'PostgreSQL connection lost; the pool reconnects');
  });
  return pool;
}

/**
 * Applies the migrations not yet recorded, on a session of its own: it has no statement
 * timeout, because it may wait for another instance's migration. Instances starting
 * together queue on one advisory lock, so exactly one applies each migration and the
 * others find it recorded.
 */
export async function migratePostgres(
  options: Pick<PostgresOptions, 'url' | 'connectTimeoutMs'>,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
  // A connection lost between two statements is reported here, and again by the next
  // statement, which fails the migration; unhandled, the event would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await applyPending(client, migrations);
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    throw asStoreError(error);
  } finally {
    // Ending the session also rolls back a migration that failed and frees the lock.
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: readonly string[]): Promise<void> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  const { rows } = await client.query<{ version: number }>(
    'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations',
  );
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (version <= rows[0].version) continue;
    // A failure leaves the transaction open; ending the session rolls it back.
    await client.query('BEGIN');
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
    await client.query('COMMIT');
  }
}

/** Brings the schema up to date, then opens the pool; the caller ends it. */
export async function openPostgres(options: PostgresOptions): Promise<pg.Pool> {
  await migratePostgres(options);
  return createPostgresPool(options);
}
