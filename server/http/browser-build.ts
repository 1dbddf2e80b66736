import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file of the browser build (`npm run build:browser`), or undefined before it exists:
 * dist/browser beside dist/server in the installed package (this file is
 * dist/server/http/…), or the repository's dist/browser when run from source
 * (server/http/…). Looked up per call, so a build made after start-up is found.
 */
export function builtBrowserFile(...segments: string[]): string | undefined {
  const up = join(__dirname, '..', '..');
  return [join(up, 'browser', ...segments), join(up, 'dist', 'browser', ...segments)].find((file) => existsSync(file));
}
