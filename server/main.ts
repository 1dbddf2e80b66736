import { ConfigError, loadConfig } from '../config/config';
import { DROP_IN_BUILD, ensureBuilt, MINIAPP_H5_BUILD, OIDC_PAGE_BUILD, WEB_BUILD } from './build/front-end-builds';
import { createLogger } from './log';
import { ROOT, startServer } from './server';

/** `npm start`: configuration, front-end builds, then the server; one line when ready. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nFix the variables above (README, "Configuration") and start again.`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  // The mini-program's H5 build is the simulator's phone; with real WeChat the phone is real.
  const builds = [WEB_BUILD, DROP_IN_BUILD, OIDC_PAGE_BUILD];
  await ensureBuilt(config.wechat.mode === 'simulator' ? [...builds, MINIAPP_H5_BUILD] : builds, ROOT, log);
  const running = await startServer(config, { log });
  if (config.wechat.mode === 'simulator') {
    const where = running.simulator ? 'the embedded simulator at /__wechat__/' : `the shared simulator at ${config.wechat.apiBase}`;
    log.warn(
      `WECHAT IS SIMULATED: no WECHAT_APPID/WECHAT_SECRET set, so codes and logins come from ${where}. ` +
        'Set WECHAT_APPID and WECHAT_SECRET to use real WeChat (README, "Real WeChat").',
    );
  }
  if (config.redisUrl) {
    log.warn(
      'REDIS_URL: tickets, the push bus, limits, code images, the OpenID provider and (DATABASE_URL) users are ' +
        'shared between instances; a simulated demo needs one shared simulator, npm run simulator (README, "Scale-out").',
    );
  }
  log.info({ url: running.publicUrl, listening: running.url }, `mp-scan-login ready at ${running.publicUrl}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'draining, then shutting down');
    await running.close(config.shutdownTimeoutMs);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('mp-scan-login failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
