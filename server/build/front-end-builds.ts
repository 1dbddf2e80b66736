import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** A front end the server serves, and what decides whether its build is stale. */
export interface FrontEndBuild {
  name: string;
  workspace: string;
  script: string;
  /** Files and folders (relative to the repository root) the build is made from. */
  sources: string[];
  /** A file the build writes last-ish; its age is the build's age. */
  output: string;
}

export const WEB_BUILD: FrontEndBuild = {
  name: 'web login page',
  workspace: 'web',
  script: 'build',
  sources: ['web/src', 'web/index.html', 'web/vite.config.mts', 'web/package.json', 'web/tsconfig.json'],
  output: 'web/dist/index.html',
};

/** The `<script>` drop-in the library serves at `${prefix}/scan-login.js` (the ES modules are `npm run build:browser`). */
export const DROP_IN_BUILD: FrontEndBuild = {
  name: 'scan-login.js drop-in',
  workspace: 'web',
  script: 'build:drop-in',
  sources: ['web/src/client', 'web/src/react', 'web/src/drop-in', 'web/vite.drop-in.config.mts', 'web/package.json'],
  output: 'dist/browser/scan-login.js',
};

/** The OpenID provider's interaction page: `/oidc/interaction/:uid` and `/oidc/assets/*`. */
export const OIDC_PAGE_BUILD: FrontEndBuild = {
  name: 'OpenID interaction page',
  workspace: 'web',
  script: 'build:oidc',
  sources: [
    'web/src/client',
    'web/src/react',
    'web/src/page',
    'web/src/oidc',
    'web/vite.oidc.config.mts',
    'web/package.json',
    'web/tsconfig.json',
  ],
  output: 'dist/browser/oidc/index.html',
};

export const MINIAPP_H5_BUILD: FrontEndBuild = {
  name: 'mini-program H5 build',
  workspace: 'miniapp',
  script: 'build:h5',
  sources: [
    'miniapp/src',
    'miniapp/config',
    'miniapp/types',
    'miniapp/.env',
    'miniapp/.env.local',
    'miniapp/.env.production',
    'miniapp/package.json',
    'miniapp/babel.config.js',
    'miniapp/tsconfig.json',
  ],
  output: 'miniapp/dist/h5/index.html',
};

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), info.mtimeMs);
}

export function isStale(build: FrontEndBuild, root: string): boolean {
  const output = join(root, build.output);
  if (!existsSync(output)) return true;
  const sources = Math.max(...build.sources.map((source) => newestMtime(join(root, source))));
  return sources > statSync(output).mtimeMs;
}

function run(build: FrontEndBuild, root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A production build whatever the caller runs as (Jest sets NODE_ENV=test, which Taro
    // takes for its build mode); the build's own .env files, not the server's, set its API base.
    const {
      TARO_APP_API_BASE: _apiBase,
      TARO_APP_SCAN_LOGIN_API_BASE: _scanLoginApiBase,
      TARO_APP_SCAN_LOGIN_PREFIX: _scanLoginPrefix,
      ...inherited
    } = process.env;
    const env = { ...inherited, NODE_ENV: 'production' };
    const child = spawn('npm', ['run', build.script, '-w', build.workspace], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`building the ${build.name} failed (exit ${code}):\n${Buffer.concat(output).toString().slice(-4000)}`));
    });
  });
}

/**
 * Builds each front end whose output is missing or older than its sources, one after
 * another (builds are CPU-bound and the usual machine has two cores). This is what lets
 * `npm ci && npm start` do everything.
 */
export async function ensureBuilt(builds: FrontEndBuild[], root: string, log?: Logger): Promise<void> {
  for (const build of builds) {
    if (!isStale(build, root)) continue;
    const started = Date.now();
    log?.info({ build: build.name }, `building the ${build.name} (its output is missing or stale)`);
    await run(build, root);
    log?.info({ build: build.name, ms: Date.now() - started }, `built the ${build.name}`);
  }
}
