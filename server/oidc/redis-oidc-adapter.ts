import type { Clock } from '../core/clock';
import { luaScript, type RedisConnection } from '../stores/redis-connection';
import { AlreadyConsumedError, type OidcAdapter, type OidcAdapterClass, type OidcPayload } from './oidc-adapter';

// KEYS: the model's hash, its grant's index, its uid index, its user-code index; the last
// three are written only when ARGV names a grant, a uid, a user code. ARGV: payload JSON,
// expiresAt (ms on our clock), time to live (ms), consumed (epoch s), grantId, uid,
// userCode ('' for each that is absent; no expiry: kept for good), id. One script, so the
// model and its place in the grant's index are written together (see REVOKE).
const UPSERT = luaScript(`
local ttl = ARGV[3]
local function expire(key)
  if ttl == '' then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, ttl) end
end
redis.call('HSET', KEYS[1], 'payload', ARGV[1], 'expiresAt', ARGV[2], 'grantId', ARGV[5])
-- Once used, always used: re-saving a copy read before the consume must not make it usable again.
if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[1], 'consumed', ARGV[4]) end
expire(KEYS[1])
if ARGV[5] ~= '' then
  local left = redis.call('PTTL', KEYS[2])
  redis.call('SADD', KEYS[2], KEYS[1])
  -- The index lives as long as its longest-lived member (-1: one that never expires).
  if ttl == '' then redis.call('PERSIST', KEYS[2])
  elseif left == -2 or (left >= 0 and left < tonumber(ttl)) then redis.call('PEXPIRE', KEYS[2], ttl) end
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[8]) expire(KEYS[3]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[4], ARGV[8]) expire(KEYS[4]) end
return 1
`);

// KEYS[1]: the model's hash. ARGV: now (ms on our clock), consumed (epoch s). Returns {1}
// when this call consumed it, {0} when there is nothing live to consume, {2, grantId}
// when it was consumed already. Redis runs the script whole, on every connection of every
// instance: of two requests redeeming one code, exactly one gets {1}.
const CONSUME = luaScript(`
local stored = redis.call('HMGET', KEYS[1], 'payload', 'expiresAt', 'consumed', 'grantId')
if not stored[1] then return {0} end
if stored[3] then return {2, stored[4]} end
if stored[2] ~= '' and tonumber(stored[2]) <= tonumber(ARGV[1]) then return {0} end
redis.call('HSET', KEYS[1], 'consumed', ARGV[2])
return {1}
`);

// KEYS[1]: the grant's index; KEYS[2]: the Grant itself, deleted too when ARGV[2] is '1'.
// ARGV[1]: the grant id. Reading the index and deleting its members is one step: an
// upsert of one of the grant's tokens runs wholly before it (and is deleted) or wholly
// after it (and is in the index the next revocation reads), never in between, where a
// read-then-delete would leave a live token that no index names any more.
const REVOKE = luaScript(`
local members = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(members) do
  -- A member saved again under another grant since is that grant's now.
  if redis.call('HGET', key, 'grantId') == ARGV[1] then redis.call('DEL', key) end
end
redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then redis.call('DEL', KEYS[2]) end
return #members
`);

/**
 * oidc-provider's adapter on the project's Redis, so every instance sees the sessions,
 * interactions, codes and tokens the others made. Keys, all under `${prefix}oidc:`:
 * - `<Model>:<id>`, a hash: `payload` (the model as JSON), `expiresAt`, `grantId`, and
 *   `consumed` once used;
 * - `by-grant:<grantId>`, a set of the keys of every model carrying that grant id, which
 *   revokeByGrantId deletes; it expires with its longest-lived member;
 * - `by-uid:<Model>:<uid>` and `by-user-code:<Model>:<code>`, the id of the model.
 *
 * Expiry is `expiresIn` on the injected clock, as in the SQLite adapter: every read
 * compares `expiresAt` with it, and Redis deletes the keys after the same duration
 * (PEXPIRE; a model without expiresIn, a Client, is kept for good). A lookup index left
 * behind by a destroy or a changed uid is harmless: the model it leads to is checked.
 *
 * Any Redis failure is StoreUnavailable (the connection's `call`/`run`). The connection
 * belongs to the caller, shared with the other Redis stores.
 */
export function redisOidcAdapter(redis: RedisConnection, clock: Clock): OidcAdapterClass {
  const base = `${redis.prefix}oidc:`;
  const modelKey = (model: string, id: string) => `${base}${model}:${id}`;
  const grantIndex = (grantId: string) => `${base}by-grant:${grantId}`;
  const uidIndex = (model: string, uid: string) => `${base}by-uid:${model}:${uid}`;
  const userCodeIndex = (model: string, userCode: string) => `${base}by-user-code:${model}:${userCode}`;

  const revoke = (grantId: string, withGrant: boolean) =>
    redis.run(REVOKE, [grantIndex(grantId), modelKey('Grant', grantId)], [grantId, withGrant ? '1' : '0']);

  async function find(model: string, id: string): Promise<OidcPayload | undefined> {
    const [payload, expiresAt, consumed] = await redis.call((client) =>
      client.hmGet(modelKey(model, id), ['payload', 'expiresAt', 'consumed']),
    );
    if (payload === null || (expiresAt !== '' && Number(expiresAt) <= clock.now())) return undefined;
    const parsed = JSON.parse(payload) as OidcPayload;
    return consumed === null ? parsed : { ...parsed, consumed: Number(consumed) };
  }

  /** The model an index names, if it still carries the value the index was made for. */
  async function findThrough(model: string, index: string, field: string, value: string) {
    const id = await redis.call((client) => client.get(index));
    if (id === null) return undefined;
    const found = await find(model, id);
    return found?.[field] === value ? found : undefined;
  }

  return class RedisOidcAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      const grantId = text(payload.grantId);
      const uid = text(payload.uid);
      const userCode = text(payload.userCode);
      const ttl = typeof expiresIn === 'number' ? Math.ceil(expiresIn * 1000) : undefined;
      await redis.run(
        UPSERT,
        [
          modelKey(this.model, id),
          grantIndex(grantId),
          uidIndex(this.model, uid),
          userCodeIndex(this.model, userCode),
        ],
        [
          JSON.stringify(payload),
          ttl === undefined ? '' : String(clock.now() + ttl),
          ttl === undefined ? '' : String(ttl),
          typeof payload.consumed === 'number' ? String(payload.consumed) : '',
          grantId,
          uid,
          userCode,
          id,
        ],
      );
    }

    find(id: string): Promise<OidcPayload | undefined> {
      return find(this.model, id);
    }

    findByUid(uid: string): Promise<OidcPayload | undefined> {
      return findThrough(this.model, uidIndex(this.model, uid), 'uid', uid);
    }

    findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return findThrough(this.model, userCodeIndex(this.model, userCode), 'userCode', userCode);
    }

    /**
     * oidc-provider checks a code's `consumed` before it consumes it, so two requests with
     * one code can both pass that check; the script settles it. The loser revokes the
     * grant and the Grant itself (tokens the winner saves afterwards then fail "grant not
     * found"), and is refused.
     */
    async consume(id: string): Promise<void> {
      const now = clock.now();
      const [outcome, grantId] = (await redis.run(CONSUME, [modelKey(this.model, id)], [
        String(now),
        String(Math.floor(now / 1000)),
      ])) as [number, string?];
      if (outcome === 1) return;
      if (outcome === 2 && grantId) await revoke(grantId, true);
      throw new AlreadyConsumedError(this.model);
    }

    async destroy(id: string): Promise<void> {
      await redis.call((client) => client.del(modelKey(this.model, id)));
    }

    /**
     * Every model of the grant, whatever this instance's model, as in the SQLite adapter:
     * the provider calls this once per token model, and the index cannot miss a model it
     * adds later. The Grant is the provider's to destroy (its revokeGrantPolicy decides).
     */
    async revokeByGrantId(grantId: string): Promise<void> {
      await revoke(grantId, false);
    }
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
