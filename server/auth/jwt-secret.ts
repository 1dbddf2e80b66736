import type { Logger } from 'pino';
import { cryptoRandom } from '../core/random';
import { readOrCreateDataFile } from '../stores/data-file';

/**
 * The JWT secret: the configured one when set (production refuses to start without one).
 * In development a random one is made once and kept in DATA_DIR, so tokens survive a
 * restart without anyone having to invent a secret.
 */
export function resolveJwtSecret({ secret, dataDir }: { secret?: string; dataDir: string }, log: Logger): string {
  if (secret) return secret;
  const { file, text, created } = readOrCreateDataFile(
    dataDir,
    'jwt-secret',
    () => cryptoRandom(48).toString('base64url') + '\n',
  );
  if (created) {
    log.warn({ file }, 'JWT_SECRET is not set: generated a development secret. Set JWT_SECRET in production.');
  }
  return text.trim();
}
