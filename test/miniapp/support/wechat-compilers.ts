import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesOf } from './files';

/**
 * WeChat's own template and style compilers, `wcc` (WXML + WXS) and `wcsc` (WXSS), from
 * the `miniprogram-compiler` package, run the way WeChat devtools runs them. The package
 * ships the binaries without the execute bit, hence the chmod.
 */

const BIN = join(__dirname, '..', '..', '..', 'node_modules', 'miniprogram-compiler', 'bin', 'linux');

export interface CompilerRun {
  status: number | null;
  stderr: string;
  /** The generated JavaScript; empty when compiling failed. */
  stdout: string;
}

function binary(name: 'wcc' | 'wcsc'): string {
  const path = join(BIN, name);
  chmodSync(path, 0o755);
  return path;
}

function run(command: string, args: string[], cwd: string): CompilerRun {
  const result = spawnSync(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

/** `usingComponents` of the page or component `file` (no extension), from its .json beside it. */
function componentsOf(root: string, file: string): string[] {
  const json = join(root, `${file}.json`);
  if (!existsSync(json)) return [];
  return Object.keys((JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: object }).usingComponents ?? {});
}

/** Compiles every .wxml (and .wxs) under `root` in one run, as templates import each other. */
export function compileWxml(root: string): CompilerRun {
  const pages = filesOf(root, '.wxml').map((file) => file.slice(0, -'.wxml'.length));
  // wcc's component table: how many entries, then per entry its file, count and tag names.
  const withComponents = pages.filter((page) => componentsOf(root, page).length > 0);
  const table = [
    withComponents.length,
    ...withComponents.flatMap((page) => [`${page}.wxml`, componentsOf(root, page).length, ...componentsOf(root, page)]),
  ].join(' ');
  const args = ['-d', '-cc', table, ...pages.map((page) => `${page}.wxml`), ...filesOf(root, '.wxs'), '-gn', '$gwx'];
  return run(binary('wcc'), args, root);
}

/** Compiles every .wxss under `root` in one run; page and component styles come first, as devtools orders them. */
export function compileWxss(root: string): CompilerRun {
  const files = filesOf(root, '.wxss').map((file) => file.slice(0, -'.wxss'.length));
  const components = files.filter((file) => existsSync(join(root, `${file}.json`)));
  const others = files.filter((file) => !components.includes(file));
  const args = ['-db', '-pc', String(components.length), ...[...components, ...others].map((file) => `${file}.wxss`)];
  return run(binary('wcsc'), args, root);
}
