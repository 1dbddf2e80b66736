import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIFTED_LIMITS, loadConfig } from '../config/config';
import { startServer } from '../server/server';
import { serveProbe } from './process-probe';

/**
 * The server under test, alone in its process: `node --expose-gc --require tsx/cjs
 * bench/server-process.ts [NAME=value …]`. Configured as production would be, except that
 * the limits that protect a public server are lifted (the simulator's WeChat quotas, the
 * per-IP rate limit) and tickets live an hour, so thousands of pages can wait. The
 * arguments add to that environment: the scale-out phase gives each instance its Redis,
 * PostgreSQL and shared simulator (REDIS_URL, DATABASE_URL, WECHAT_API_BASE).
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mp-scan-login-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256-signing',
    TICKET_TTL_SECONDS: '3600',
    // The benchmark measures the simulator's own speed; production refuses it unless asked.
    WECHAT_SIMULATOR: 'true',
    WECHAT_SIMULATOR_QUOTAS: 'false',
    // Every virtual user comes from 127.0.0.1: one IP's budget would be the whole benchmark's.
    ...LIFTED_LIMITS,
    ...Object.fromEntries(process.argv.slice(2).map((pair) => pair.split(/=(.*)/s, 2))),
  });
  const running = await startServer(config);
  serveProbe(running.url, async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

main().catch((error) => {
  console.error('bench server failed to start:', error);
  process.exit(1);
});
