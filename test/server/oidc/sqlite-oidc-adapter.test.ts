import { join } from 'node:path';
import { ManualClock } from '../../../server/core/clock';
import { AlreadyConsumedError, type OidcAdapterClass } from '../../../server/oidc/oidc-adapter';
import { sqliteOidcAdapter } from '../../../server/oidc/sqlite-oidc-adapter';
import { openSqlite, SqliteDatabase } from '../../../server/stores/sqlite-database';
import { tempDir } from '../../support/temp-dir';
import { describeOidcAdapterContract } from './oidc-adapter-contract';

describeOidcAdapterContract('sqliteOidcAdapter', async (clock) => {
  const dir = tempDir();
  const file = join(dir.path, 'oidc.db');
  const db = openSqlite(file);
  const other = openSqlite(file);
  return {
    Adapter: sqliteOidcAdapter(db, clock),
    Peer: sqliteOidcAdapter(other, clock),
    cleanup() {
      db.close();
      other.close();
      dir.remove();
    },
  };
});

describe('sqliteOidcAdapter', () => {
  let clock: ManualClock;
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let db: SqliteDatabase;
  let Adapter: OidcAdapterClass;

  const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM oidc_models').get() as { n: number }).n;

  beforeEach(() => {
    clock = new ManualClock();
    dir = tempDir();
    file = join(dir.path, 'oidc.db');
    db = openSqlite(file);
    Adapter = sqliteOidcAdapter(db, clock);
  });

  afterEach(() => {
    if (db.open) db.close();
    dir.remove();
  });

  it('keeps an expired row until a write sweeps it', async () => {
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { jti: 's1' }, 10);
    clock.advance(10_000);
    expect(await sessions.find('s1')).toBeUndefined();
    expect(rows()).toBe(1);
  });

  it('sweeps expired rows on write, in batches of at most 100', async () => {
    const interactions = new Adapter('Interaction');
    for (let i = 0; i < 150; i++) await interactions.upsert(`i${i}`, { jti: `i${i}` }, 1);
    await new Adapter('Client').upsert('rp', { client_id: 'rp' });
    clock.advance(1000);
    await interactions.upsert('fresh', { jti: 'fresh' }, 60);
    expect(rows()).toBe(150 + 2 - 100);
    await interactions.upsert('fresh', { jti: 'fresh' }, 60);
    expect(rows()).toBe(2);
    expect(await new Adapter('Client').find('rp')).toBeDefined();
  });

  it('finds its rows, consumed state included, after the file is closed and reopened', async () => {
    await new Adapter('Session').upsert('s1', { uid: 'u1' }, 60);
    await new Adapter('AuthorizationCode').upsert('c1', { jti: 'c1' }, 60);
    await new Adapter('AuthorizationCode').consume('c1');
    db.close();

    db = openSqlite(file);
    const Reopened = sqliteOidcAdapter(db, clock);
    expect(await new Reopened('Session').findByUid('u1')).toEqual({ uid: 'u1' });
    expect(await new Reopened('AuthorizationCode').find('c1')).toHaveProperty('consumed');
    await expect(new Reopened('AuthorizationCode').consume('c1')).rejects.toBeInstanceOf(AlreadyConsumedError);
  });
});
