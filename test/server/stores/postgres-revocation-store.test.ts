import { ManualClock } from '../../../server/core/clock';
import { StoreUnavailable } from '../../../server/errors';
import { createPostgresPool } from '../../../server/stores/postgres-database';
import { PostgresRevocationStore } from '../../../server/stores/postgres-revocation-store';
import { describeWithPostgres, instancePools, silentLog, UNREACHABLE_POSTGRES_URL } from '../../support/postgres';
import { describeRevocationStoreContract } from './revocation-store-contract';

describeWithPostgres('PostgresRevocationStore', (databaseUrl) => {
  const pools = instancePools(databaseUrl);

  describeRevocationStoreContract('PostgresRevocationStore', async (clock) => {
    const [pool, other] = pools();
    await pool.query('TRUNCATE revoked_tokens');
    return {
      store: new PostgresRevocationStore(pool, clock),
      peer: new PostgresRevocationStore(other, clock),
      cleanup: () => undefined,
    };
  });

  it('answers StoreUnavailable to every call while PostgreSQL cannot be reached', async () => {
    const pool = createPostgresPool({ url: UNREACHABLE_POSTGRES_URL, log: silentLog });
    const revoked = new PostgresRevocationStore(pool, new ManualClock());
    try {
      await expect(revoked.revoke('jti-1', Date.now())).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(revoked.isRevoked('jti-1')).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await pool.end();
    }
  });
});
