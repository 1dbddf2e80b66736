import { ConfigError } from '../config/env-values';
import { loadSimulatorConfig } from '../config/simulator-config';
import { createLogger } from './log';
import { startSimulatorServer } from './wechat/simulator/simulator-server';

/** `npm run simulator`: one WeChat simulator for every instance (README, "Scale-out"). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadSimulatorConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nFix the variables above (README, "The embedded WeChat simulator") and start again.`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  const running = await startSimulatorServer(config, { log });
  log.info(
    { url: running.url, listening: running.url, apiBase: running.apiBase, phoneUrl: config.phoneUrl },
    `WeChat simulator ready at ${running.url}: start instances with WECHAT_API_BASE=${running.apiBase}`,
  );
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error('the WeChat simulator failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
