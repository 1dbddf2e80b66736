import { StoreUnavailable } from '../../../server/errors';
import { createPostgresPool } from '../../../server/stores/postgres-database';
import { PostgresUserStore } from '../../../server/stores/postgres-user-store';
import { describeWithPostgres, instancePools, silentLog, UNREACHABLE_POSTGRES_URL } from '../../support/postgres';
import { AuditedLogin, describeUserStoreContract } from './user-store-contract';

describeWithPostgres('PostgresUserStore', (databaseUrl) => {
  const pools = instancePools(databaseUrl);

  describeUserStoreContract('PostgresUserStore', async () => {
    const [pool, other] = pools();
    await pool.query('TRUNCATE users, login_audit');
    return {
      store: new PostgresUserStore(pool),
      peer: new PostgresUserStore(other),
      audit: async () =>
        (
          await pool.query<AuditedLogin>(
            'SELECT ticket_id AS "ticketId", user_id AS "userId", launch_scene AS "launchScene", created_at AS at FROM login_audit ORDER BY id',
          )
        ).rows,
      cleanup: () => undefined,
    };
  });

  it('answers StoreUnavailable to every call while PostgreSQL cannot be reached', async () => {
    const pool = createPostgresPool({ url: UNREACHABLE_POSTGRES_URL, log: silentLog });
    const users = new PostgresUserStore(pool);
    try {
      await expect(users.upsert({ newId: 'u1', openid: 'o1', now: 1000 })).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(users.findById('u1')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(
        users.recordLogin({ ticketId: 't', userId: 'u1', ip: '::1', userAgent: 'ua', at: 1500 }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await pool.end();
    }
  });
});
