import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

/**
 * Schema changes, applied in order at start-up; each runs once, in a transaction, and
 * is recorded in `schema_migrations`. Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id            TEXT PRIMARY KEY,
     openid        TEXT NOT NULL UNIQUE,
     unionid       TEXT,
     nickname      TEXT,
     avatar_url    TEXT,
     created_at    INTEGER NOT NULL,
     last_login_at INTEGER NOT NULL
   );
   CREATE TABLE login_audit (
     id           INTEGER PRIMARY KEY AUTOINCREMENT,
     ticket_id    TEXT NOT NULL,
     user_id      TEXT NOT NULL REFERENCES users(id),
     ip           TEXT NOT NULL,
     user_agent   TEXT NOT NULL,
     launch_scene INTEGER,
     created_at   INTEGER NOT NULL
   );
   CREATE INDEX login_audit_user ON login_audit(user_id, created_at);
   CREATE TABLE wechat_access_token (
     appid        TEXT PRIMARY KEY,
     access_token TEXT NOT NULL,
     expires_at   INTEGER NOT NULL
   );`,
  `CREATE TABLE tickets (
     id           TEXT PRIMARY KEY,
     version      INTEGER NOT NULL,
     expires_at   INTEGER NOT NULL,
     retain_until INTEGER NOT NULL,
     ticket       TEXT NOT NULL
   );
   CREATE INDEX tickets_retain_until ON tickets(retain_until);`,
  `CREATE TABLE revoked_tokens (
     token_id   TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   );`,
  // oidc-provider's models (server/oidc/sqlite-oidc-adapter.ts). Only what a query filters
  // on is a column; the payload stays whole. Partial indexes skip the many NULLs.
  `CREATE TABLE oidc_models (
     model       TEXT NOT NULL,
     id          TEXT NOT NULL,
     payload     TEXT NOT NULL,
     grant_id    TEXT,
     user_code   TEXT,
     uid         TEXT,
     expires_at  INTEGER,
     consumed_at INTEGER,
     PRIMARY KEY (model, id)
   );
   CREATE INDEX oidc_models_grant_id ON oidc_models(grant_id) WHERE grant_id IS NOT NULL;
   CREATE INDEX oidc_models_uid ON oidc_models(model, uid) WHERE uid IS NOT NULL;
   CREATE INDEX oidc_models_user_code ON oidc_models(model, user_code) WHERE user_code IS NOT NULL;
   CREATE INDEX oidc_models_expires_at ON oidc_models(expires_at) WHERE expires_at IS NOT NULL;`,
];

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets readers run beside the one writer; NORMAL sync is durable across app crashes.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as {
    version: number;
  };
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= applied.version) return;
    db.transaction(() => {
      db.exec(sql);
      record.run(version, Date.now());
    })();
  });
}
