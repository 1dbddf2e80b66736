import { build } from 'esbuild';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import postcss, { type AcceptedPlugin } from 'postcss';

/**
 * Builds the native mini-program's confirm page, a subpackage folder to copy into an app
 * without Taro: `npm run build:native -w miniapp` → miniapp/dist/native/scan-login/.
 *
 * - index.js: native/src/confirm-page.ts bundled by esbuild with the very modules the
 *   Taro page runs (src/scan-login/lib), so the two never drift apart; `config.js`, which
 *   the developer edits, stays a file of its own that the page requires at run time;
 * - index.wxss: the Taro page's stylesheets with design px as rpx, what Taro's
 *   pxtransform makes of them for weapp;
 * - index.wxml, index.json, config.js: copied from native/scan-login/ as written.
 */

const MINIAPP = join(__dirname, '..');
const SCAN_LOGIN = join(MINIAPP, 'src', 'scan-login');
const PAGE = join('scan-login', 'pages', 'confirm', 'index');
/** How the page requires the config; resolved by WeChat from the page's own folder. */
const CONFIG_REQUEST = '../../config.js';

export const NATIVE_OUTPUT = join(MINIAPP, 'dist', 'native');

// Taro's own plugin (with @tarojs/webpack5-runner); it ships no types.
const pxtransform = require('postcss-pxtransform') as (options: { platform: 'weapp'; designWidth: number }) => AcceptedPlugin;

const BANNER = [
  '// Built by miniapp/scripts/build-native.ts from miniapp/native/src and miniapp/src/scan-login/lib.',
  '// Do not edit: change the TypeScript and run `npm run build:native -w miniapp`.',
].join('\n');

/** Writes the subpackage folder `scan-login/` into `outDir` (emptied first); returns its files. */
export async function buildNative(outDir: string = NATIVE_OUTPUT): Promise<string[]> {
  const folder = join(outDir, 'scan-login');
  rmSync(folder, { recursive: true, force: true });
  cpSync(join(MINIAPP, 'native', 'scan-login'), folder, { recursive: true });
  await build({
    entryPoints: [join(MINIAPP, 'native', 'src', 'confirm-page.ts')],
    outfile: join(outDir, `${PAGE}.js`),
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    // ES2015 runs on every base library without devtools' "ES6 转 ES5"; esbuild lowers
    // async functions and `??` to it.
    target: 'es2015',
    external: [CONFIG_REQUEST],
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: BANNER },
    logLevel: 'silent',
  });
  writeFileSync(join(outDir, `${PAGE}.wxss`), await wxss([join(SCAN_LOGIN, 'styles.css'), join(SCAN_LOGIN, 'pages', 'confirm', 'index.css')]));
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(folder, file)).isFile())
    .map((file) => `scan-login/${file.split(sep).join('/')}`)
    .sort();
}

/** The stylesheets, in order, as one WXSS: design px (750 wide) become rpx. */
async function wxss(files: string[]): Promise<string> {
  const css = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  const result = await postcss([pxtransform({ platform: 'weapp', designWidth: 750 })]).process(css, { from: undefined });
  return `/* Built by miniapp/scripts/build-native.ts from ${files.map((file) => relative(MINIAPP, file)).join(', ')}. */\n${result.css}`;
}

if (require.main === module) {
  const outDir = process.argv[2] ?? NATIVE_OUTPUT;
  buildNative(outDir).then(
    (files) => console.log(`${files.join('\n')}\n→ ${join(outDir, 'scan-login')}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
