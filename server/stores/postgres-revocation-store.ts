import type { Pool } from 'pg';
import type { Clock } from '../core/clock';
import { query } from './postgres-query';
import type { RevocationStore } from './revocation-store';

/**
 * Revoked token ids in PostgreSQL, so a logout on one instance holds on all of them;
 * swept once they are past their expiry.
 */
export class PostgresRevocationStore implements RevocationStore {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
  ) {}

  async revoke(tokenId: string, expiresAt: number): Promise<void> {
    // Logging out is rare: sweeping here keeps the table to the tokens still alive.
    await query(this.pool, 'DELETE FROM revoked_tokens WHERE expires_at <= $1', [this.clock.now()]);
    await query(
      this.pool,
      'INSERT INTO revoked_tokens (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING',
      [tokenId, expiresAt],
    );
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    return (await query(this.pool, 'SELECT 1 FROM revoked_tokens WHERE token_id = $1', [tokenId])).length > 0;
  }
}
