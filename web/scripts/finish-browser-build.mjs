// The last step of `npm run build:browser`, after Vite and tsc have written dist/browser.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(web, '..', 'dist', 'browser');

// The package root has no "type", so without this Node would read these ES modules as
// CommonJS, and TypeScript (node16/nodenext) their .d.ts files too.
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);

// `mp-scan-login/react/styles.css`: the component's stylesheet as it is, for the host's bundler.
copyFileSync(join(web, 'src', 'react', 'styles.css'), join(out, 'styles.css'));

// ES declarations need full relative specifiers under node16/nodenext resolution; the
// sources import without extensions (bundler resolution, like Vite and Jest).
function withExtension(file, specifier) {
  const base = join(dirname(file), specifier);
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`${file}: cannot resolve ${specifier}`);
}

function rewrite(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = join(folder, entry.name);
    if (entry.isDirectory()) rewrite(file);
    else if (entry.name.endsWith('.d.ts')) {
      const source = readFileSync(file, 'utf8');
      const fixed = source.replace(
        /(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g,
        (_match, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier)}${quote}`,
      );
      if (fixed !== source) writeFileSync(file, fixed);
    }
  }
}
rewrite(join(out, 'types'));
