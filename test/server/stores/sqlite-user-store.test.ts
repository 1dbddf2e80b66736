import { join } from 'node:path';
import { openSqlite } from '../../../server/stores/sqlite-database';
import { SqliteUserStore } from '../../../server/stores/sqlite-user-store';
import { tempDir } from '../../support/temp-dir';
import { AuditedLogin, describeUserStoreContract } from './user-store-contract';

describeUserStoreContract('SqliteUserStore', async () => {
  const dir = tempDir();
  const file = join(dir.path, 'users.db');
  const db = openSqlite(file);
  const other = openSqlite(file);
  return {
    store: new SqliteUserStore(db),
    peer: new SqliteUserStore(other),
    audit: async () =>
      db
        .prepare<[], AuditedLogin>(
          'SELECT ticket_id AS ticketId, user_id AS userId, launch_scene AS launchScene, created_at AS at FROM login_audit ORDER BY id',
        )
        .all(),
    cleanup: () => {
      db.close();
      other.close();
      dir.remove();
    },
  };
});
