import { join } from 'node:path';
import { SqliteAccessTokenStore } from '../../../server/stores/sqlite-access-token-store';
import { openSqlite } from '../../../server/stores/sqlite-database';
import { tempDir } from '../../support/temp-dir';
import { describeAccessTokenStoreContract } from './access-token-store-contract';

describeAccessTokenStoreContract('SqliteAccessTokenStore', async () => {
  const dir = tempDir();
  const file = join(dir.path, 'token.db');
  const db = openSqlite(file);
  const other = openSqlite(file);
  return {
    store: new SqliteAccessTokenStore(db),
    peer: new SqliteAccessTokenStore(other),
    cleanup: () => {
      db.close();
      other.close();
      dir.remove();
    },
  };
});
