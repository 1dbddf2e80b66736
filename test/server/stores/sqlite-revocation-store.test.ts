import { join } from 'node:path';
import { openSqlite } from '../../../server/stores/sqlite-database';
import { SqliteRevocationStore } from '../../../server/stores/sqlite-revocation-store';
import { tempDir } from '../../support/temp-dir';
import { describeRevocationStoreContract } from './revocation-store-contract';

describeRevocationStoreContract('SqliteRevocationStore', async (clock) => {
  const dir = tempDir();
  const file = join(dir.path, 'revoked.db');
  const db = openSqlite(file);
  const other = openSqlite(file);
  return {
    store: new SqliteRevocationStore(db, clock),
    peer: new SqliteRevocationStore(other, clock),
    cleanup: () => {
      db.close();
      other.close();
      dir.remove();
    },
  };
});
