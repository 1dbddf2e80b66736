import type { Clock } from '../core/clock';
import type { SqliteDatabase } from '../stores/sqlite-database';
import { AlreadyConsumedError, type OidcAdapter, type OidcAdapterClass, type OidcPayload } from './oidc-adapter';

/** Expired rows one write deletes, so a backlog is worked off without stalling that write. */
const SWEEP_BATCH = 100;

const LIVE = '(expires_at IS NULL OR expires_at > @now)';

interface Row {
  payload: string;
  consumedAt: number | null;
}

/**
 * oidc-provider's adapter on the project's SQLite file, one table for every model.
 * Expiry is `expiresIn` seconds on the injected clock; a model without one (a Client)
 * never expires. Expired rows are never returned (every read filters on `expires_at`)
 * and are swept on write: each `upsert` deletes up to SWEEP_BATCH of them, so the table
 * stays bounded by the write rate with no timer to stop.
 *
 * The provider constructs the class itself, once per model name, hence the factory.
 */
export function sqliteOidcAdapter(db: SqliteDatabase, clock: Clock): OidcAdapterClass {
  const upsert = db.prepare(`
    INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
    VALUES (@model, @id, @payload, @grantId, @userCode, @uid, @expiresAt, @consumedAt)
    ON CONFLICT (model, id) DO UPDATE SET
      payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
      uid = excluded.uid, expires_at = excluded.expires_at,
      -- Once used, always used: re-saving a stale copy must not make a code usable again.
      consumed_at = COALESCE(oidc_models.consumed_at, excluded.consumed_at)`);
  const sweep = db.prepare(`
    DELETE FROM oidc_models WHERE rowid IN
      (SELECT rowid FROM oidc_models WHERE expires_at <= @now LIMIT ${SWEEP_BATCH})`);
  const select = (column: string) =>
    db.prepare<{ model: string; key: string; now: number }, Row>(
      `SELECT payload, consumed_at AS consumedAt FROM oidc_models
       WHERE model = @model AND ${column} = @key AND ${LIVE} LIMIT 1`,
    );
  const byId = select('id');
  const byUid = select('uid');
  const byUserCode = select('user_code');
  // One statement: whichever request marks the row first wins; any other sees 0 changes.
  const markConsumed = db.prepare(`
    UPDATE oidc_models SET consumed_at = @consumed
    WHERE model = @model AND id = @id AND consumed_at IS NULL AND ${LIVE}`);
  const usedGrant = db.prepare<{ model: string; id: string }, { grantId: string | null }>(
    'SELECT grant_id AS grantId FROM oidc_models WHERE model = @model AND id = @id AND consumed_at IS NOT NULL',
  );
  const remove = db.prepare('DELETE FROM oidc_models WHERE model = @model AND id = @id');
  const removeGrant = db.prepare('DELETE FROM oidc_models WHERE grant_id = ?');
  // Also the Grant itself (its id is the grantId), as the provider does on a reused code
  // by default: tokens the winning request saves after this then fail "grant not found".
  const removeGrantAndTokens = db.prepare(
    "DELETE FROM oidc_models WHERE grant_id = @grantId OR (model = 'Grant' AND id = @grantId)",
  );

  const write = db.transaction((params: Record<string, unknown>) => {
    sweep.run({ now: params.now });
    upsert.run(params);
  });

  /**
   * oidc-provider reads a code, checks its `consumed`, and only then consumes it: two
   * requests with one code can both pass that check (their awaits interleave, or they
   * run in two processes). The UPDATE settles it, atomically across
   * connections to the file: the loser revokes the grant, as the provider does for a
   * reuse it sees (RFC 6749 §4.1.2: a reused code may be a stolen one, so nothing issued
   * from it may stay valid), and is refused. Returns whether this call consumed the row.
   */
  const consume = db.transaction((model: string, id: string): boolean => {
    const now = clock.now();
    if (markConsumed.run({ model, id, now, consumed: Math.floor(now / 1000) }).changes === 1) return true;
    const grantId = usedGrant.get({ model, id })?.grantId;
    if (grantId) removeGrantAndTokens.run({ grantId });
    return false;
  });

  return class SqliteOidcAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      const now = clock.now();
      write({
        now,
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grantId: text(payload.grantId),
        userCode: text(payload.userCode),
        uid: text(payload.uid),
        expiresAt: typeof expiresIn === 'number' ? now + expiresIn * 1000 : null,
        consumedAt: typeof payload.consumed === 'number' ? payload.consumed : null,
      });
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      return parse(byId.get({ model: this.model, key: id, now: clock.now() }));
    }

    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      return parse(byUid.get({ model: this.model, key: uid, now: clock.now() }));
    }

    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return parse(byUserCode.get({ model: this.model, key: userCode, now: clock.now() }));
    }

    async consume(id: string): Promise<void> {
      // Thrown outside the transaction, so the revocation it made is committed, not undone.
      if (!consume(this.model, id)) throw new AlreadyConsumedError(this.model);
    }

    async destroy(id: string): Promise<void> {
      remove.run({ model: this.model, id });
    }

    /**
     * Every row of the grant, whatever this instance's model: the provider calls this
     * once per token model, and deleting by grant alone cannot miss a model it adds later.
     * An Interaction of the grant goes too: a login in progress on a revoked grant restarts.
     */
    async revokeByGrantId(grantId: string): Promise<void> {
      removeGrant.run(grantId);
    }
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parse(row: Row | undefined): OidcPayload | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as OidcPayload;
  return row.consumedAt === null ? payload : { ...payload, consumed: row.consumedAt };
}
