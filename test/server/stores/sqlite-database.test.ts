import { join } from 'node:path';
import { MIGRATIONS, openSqlite } from '../../../server/stores/sqlite-database';
import { tempDir } from '../../support/temp-dir';

describe('openSqlite', () => {
  it('creates the folder and schema, in WAL mode, and migrates only once on reopen', () => {
    const dir = tempDir();
    const file = join(dir.path, 'nested', 'app.db');
    try {
      const first = openSqlite(file);
      expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
      first.prepare("INSERT INTO users (id, openid, created_at, last_login_at) VALUES ('u', 'o', 1, 1)").run();
      first.close();

      const second = openSqlite(file);
      expect(second.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
      expect(second.prepare('SELECT id FROM users').all()).toEqual([{ id: 'u' }]);
      second.close();
    } finally {
      dir.remove();
    }
  });
});
