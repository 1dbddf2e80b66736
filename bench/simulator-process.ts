import { loadSimulatorConfig } from '../config/simulator-config';
import { startSimulatorServer } from '../server/wechat/simulator/simulator-server';
import { serveProbe } from './process-probe';

/**
 * The WeChat simulator that every instance of the scale-out phase shares (`npm run
 * simulator`), alone in its process so that WeChat's CPU is not counted as ours:
 * `node --expose-gc --require tsx/cjs bench/simulator-process.ts`. Its quotas are off, as
 * for the single server; the phones' wx.login comes here directly, as a phone's goes to
 * WeChat and not to us.
 */
async function main(): Promise<void> {
  const config = loadSimulatorConfig({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', WECHAT_SIMULATOR_QUOTAS: 'false' });
  const running = await startSimulatorServer(config);
  serveProbe(running.url, () => running.close());
}

main().catch((error) => {
  console.error('bench simulator failed to start:', error);
  process.exit(1);
});
