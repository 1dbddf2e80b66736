import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

export interface TaroBuild {
  outputRoot: string;
  /** Wall time of `npm run build:<target>`, for the README's figures. */
  ms: number;
}

/**
 * Runs `npm run build:<target> -w miniapp` into `outputRoot` (never miniapp/dist, which a
 * running server or a parallel browser test may be serving). `env` adds build variables
 * such as TARO_APP_API_BASE; a variable set here wins over miniapp/.env*.
 */
export function buildMiniapp(target: 'weapp' | 'h5', outputRoot: string, env: Record<string, string> = {}): Promise<TaroBuild> {
  const started = Date.now();
  const child = spawn('npm', ['run', `build:${target}`, '-w', 'miniapp'], {
    cwd: ROOT,
    // NODE_ENV is pinned: jest sets it to 'test', which Taro would take as the build mode.
    env: { ...process.env, NODE_ENV: 'production', MINIAPP_OUTPUT_ROOT: outputRoot, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ outputRoot, ms: Date.now() - started });
      else reject(new Error(`build:${target} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}
