import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TARO = join(ROOT, 'node_modules', '.bin', 'taro');

export interface TaroBuild {
  outputRoot: string;
  /** Wall time of the build, for the README's figures. */
  ms: number;
}

/**
 * Runs `taro build --type <target>` in the Taro project `projectDir`, whose config puts the
 * result in `outputRoot`. `env` adds build variables such as TARO_APP_SCAN_LOGIN_API_BASE; a
 * variable set here wins over the project's .env* for a name listed there.
 */
export function buildTaroApp(
  projectDir: string,
  target: 'weapp' | 'h5',
  outputRoot: string,
  env: Record<string, string> = {},
): Promise<TaroBuild> {
  const started = Date.now();
  const child = spawn(TARO, ['build', '--type', target], {
    cwd: projectDir,
    // NODE_ENV is pinned: jest sets it to 'test', which Taro would take as the build mode.
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ outputRoot, ms: Date.now() - started });
      else reject(new Error(`taro build --type ${target} in ${projectDir} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/**
 * Builds our own mini-program (miniapp/) into `outputRoot`, never miniapp/dist, which a
 * running server or a parallel browser test may be serving.
 */
export function buildMiniapp(target: 'weapp' | 'h5', outputRoot: string, env: Record<string, string> = {}): Promise<TaroBuild> {
  return buildTaroApp(join(ROOT, 'miniapp'), target, outputRoot, { MINIAPP_OUTPUT_ROOT: outputRoot, ...env });
}
