import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file in DATA_DIR as read, and whether this call is the one that created it. */
export interface DataFile {
  file: string;
  text: string;
  created: boolean;
}

/**
 * Reads `name` in DATA_DIR, first creating it from `create()` if it does not exist: for
 * secrets made once on first start and kept across restarts. The file is private to the
 * owner (0600), and only a missing file is created: one that exists but cannot be read
 * fails here rather than being replaced, because replacing a secret silently
 * invalidates everything made with it.
 *
 * Creation is exclusive (`wx`), so two instances starting together on one DATA_DIR cannot
 * both write a secret and go on using different ones: the one that loses reads the other's.
 */
export function readOrCreateDataFile(dataDir: string, name: string, create: () => string): DataFile {
  const file = join(dataDir, name);
  const existing = readIfExists(file);
  if (existing !== undefined) return { file, text: existing, created: false };
  mkdirSync(dataDir, { recursive: true });
  const text = create();
  try {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    return { file, text: readFileSync(file, 'utf8'), created: false };
  }
  return { file, text, created: true };
}

/** The file's text, or undefined when it does not exist; any other failure is thrown. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
