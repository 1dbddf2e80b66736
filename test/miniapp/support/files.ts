import { readdirSync } from 'node:fs';
import { sep } from 'node:path';

/** Every file under `root` ending in `extension`, as a '/'-separated path relative to `root`. */
export function filesOf(root: string, extension: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => file.split(sep).join('/'))
    .sort();
}
