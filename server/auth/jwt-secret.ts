import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cryptoRandom } from '../core/random';

/**
 * The JWT secret: the configured one when set (production refuses to start without one).
 * In development a random one is made once and kept in DATA_DIR, so tokens survive a
 * restart without anyone having to invent a secret.
 */
export function resolveJwtSecret({ secret, dataDir }: { secret?: string; dataDir: string }, log: Logger): string {
  if (secret) return secret;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const generated = cryptoRandom(48).toString('base64url');
  writeFileSync(file, generated + '\n', { mode: 0o600 });
  log.warn({ file }, 'JWT_SECRET is not set: generated a development secret. Set JWT_SECRET in production.');
  return generated;
}
