import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/temp-dir';
import type { CiCheckResult } from './miniprogram-ci-check';

const ROOT = join(__dirname, '..', '..', '..');

/** miniprogram-ci's offline compile and analysis over `projectPath`, in a child process (see miniprogram-ci-check.ts). */
export function miniprogramCiCheck(projectPath: string): Promise<CiCheckResult> {
  const dir = tempDir('mp-scan-login-ci-');
  const resultFile = join(dir.path, 'result.json');
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'miniprogram-ci-check.ts'), projectPath, resultFile], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      const written = existsSync(resultFile);
      const result = written ? (JSON.parse(readFileSync(resultFile, 'utf8')) as CiCheckResult) : undefined;
      dir.remove();
      if (result) resolve(result);
      else reject(new Error('miniprogram-ci-check wrote no result'));
    });
  });
}
