import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/config';
import { cryptoRandom } from '../core/random';

/**
 * The JWT secret: JWT_SECRET when set (config refuses to start production without one).
 * In development a random one is made once and kept in DATA_DIR, so tokens survive a
 * restart without anyone having to invent a secret.
 */
export function resolveJwtSecret(config: Config, log: Logger): string {
  if (config.jwt.secret) return config.jwt.secret;
  const file = join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = cryptoRandom(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  log.warn({ file }, 'JWT_SECRET is not set: generated a development secret. Set JWT_SECRET in production.');
  return secret;
}
