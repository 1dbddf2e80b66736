import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { resolveJwtSecret } from '../../../server/auth/jwt-secret';
import { tempDir } from '../../support/temp-dir';

describe('resolveJwtSecret', () => {
  const log = pino({ level: 'silent' });
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    dir.remove();
  });

  it('uses the configured secret when there is one, writing nothing', () => {
    expect(resolveJwtSecret({ dataDir: dir.path, secret: 'configured-secret' }, log)).toBe('configured-secret');
    expect(existsSync(join(dir.path, 'jwt-secret'))).toBe(false);
  });

  it('generates a development secret once, private to the owner, and reuses it', () => {
    const config = { dataDir: dir.path };
    const first = resolveJwtSecret(config, log);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveJwtSecret(config, log)).toBe(first);
    const file = join(dir.path, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});
