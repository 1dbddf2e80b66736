import { StoreUnavailable } from '../../../server/errors';
import { PostgresAccessTokenStore } from '../../../server/stores/postgres-access-token-store';
import { createPostgresPool } from '../../../server/stores/postgres-database';
import { describeWithPostgres, instancePools, silentLog, UNREACHABLE_POSTGRES_URL } from '../../support/postgres';
import { describeAccessTokenStoreContract } from './access-token-store-contract';

describeWithPostgres('PostgresAccessTokenStore', (databaseUrl) => {
  const pools = instancePools(databaseUrl);

  describeAccessTokenStoreContract('PostgresAccessTokenStore', async () => {
    const [pool, other] = pools();
    await pool.query('TRUNCATE wechat_access_token');
    return {
      store: new PostgresAccessTokenStore(pool),
      peer: new PostgresAccessTokenStore(other),
      cleanup: () => undefined,
    };
  });

  it('answers StoreUnavailable to every call while PostgreSQL cannot be reached', async () => {
    const pool = createPostgresPool({ url: UNREACHABLE_POSTGRES_URL, log: silentLog });
    const tokens = new PostgresAccessTokenStore(pool);
    try {
      await expect(tokens.get('wx-app-1')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(tokens.set('wx-app-1', { token: 't', expiresAt: Date.now() })).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await pool.end();
    }
  });
});
