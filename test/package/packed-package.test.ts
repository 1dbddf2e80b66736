import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh
 * project, used from plain JavaScript with no TypeScript toolchain, CommonJS and ESM.
 * Slow (the install compiles better-sqlite3), so it runs once for both hosts.
 */
describe('the packed mp-scan-login package', () => {
  let project: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    project = tempDir('mp-scan-login-host-');
    data = tempDir('mp-scan-login-host-data-');
    await run('npm', ['pack', '--pack-destination', project.path], { cwd: ROOT });
    const tarball = readdirSync(project.path).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(project.path, 'package.json'), JSON.stringify({ name: 'host', version: '1.0.0', private: true }));
    await run('npm', ['install', `./${tarball}`, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project.path,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const host of ['host-site.cjs', 'host-site.mjs']) copyFileSync(join(__dirname, host), join(project.path, host));
  }, 600_000);

  afterAll(() => {
    project?.remove();
    data?.remove();
  });

  async function host(file: string, dataDir: string): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, [file, dataDir], { cwd: project.path, timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  it('ships compiled JavaScript with type declarations, and no TypeScript sources', () => {
    const pkg = join(project.path, 'node_modules', 'mp-scan-login');
    expect(existsSync(join(pkg, 'dist', 'server', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'server', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'server'))).toBe(false);
  });

  it("runs a CommonJS Koa host's whole login under its prefix, leaving its own routes alone, and exits after close()", async () => {
    expect(await host('host-site.cjs', data.path)).toEqual({
      home: 'host home',
      missing: 'host 404',
      image: 'image/png',
      confirm: 200,
      tokenIsHostCode: true,
      redeemed: 200,
      redeemedAgain: 401,
    });
  });

  it('imports by name from an ESM host and exits after close()', async () => {
    const esmData = tempDir('mp-scan-login-esm-');
    try {
      expect(await host('host-site.mjs', esmData.path)).toEqual({ status: 201, refused: true });
    } finally {
      esmData.remove();
    }
  });
});
