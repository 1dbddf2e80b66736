import type { Clock } from '../core/clock';
import type { SqliteDatabase } from './sqlite-database';
import type { RevocationStore } from './revocation-store';

/** Revoked token ids in the embedded SQLite file, swept once they are past their expiry. */
export class SqliteRevocationStore implements RevocationStore {
  private readonly insert;
  private readonly select;
  private readonly purge;

  constructor(
    db: SqliteDatabase,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare<[string, number]>(
      'INSERT INTO revoked_tokens (token_id, expires_at) VALUES (?, ?) ON CONFLICT (token_id) DO NOTHING',
    );
    this.select = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM revoked_tokens WHERE token_id = ?');
    this.purge = db.prepare<[number]>('DELETE FROM revoked_tokens WHERE expires_at <= ?');
  }

  async revoke(tokenId: string, expiresAt: number): Promise<void> {
    // Logging out is rare: sweeping here keeps the table to the tokens still alive.
    this.purge.run(this.clock.now());
    this.insert.run(tokenId, expiresAt);
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    return this.select.get(tokenId) !== undefined;
  }
}
