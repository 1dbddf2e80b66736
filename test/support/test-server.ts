import { LIFTED_LIMITS, loadConfig } from '../../config/config';
import type { Clock } from '../../server/core/clock';
import type { LoginService } from '../../server/core/login-service';
import { createLogger } from '../../server/log';
import { startServer } from '../../server/server';
import { startSimulatorServer, type RunningSimulator } from '../../server/wechat/simulator/simulator-server';
import type { WeChatSimulator } from '../../server/wechat/simulator/wechat-simulator';
import { tempDir } from './temp-dir';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The same URL for ws: ws://127.0.0.1:41234 */
  wsUrl: string;
  /** Where browsers reach it (PUBLIC_URL), e.g. http://localhost:41234; the OIDC issuer's base. */
  publicUrl: string;
  /** The embedded simulator, or the shared one it was started with. */
  simulator: WeChatSimulator;
  service: LoginService;
  dataDir: string;
  /** The METRICS_PORT listener's URL, when `env` set one. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/**
 * The real server on an ephemeral loopback port with a temporary DATA_DIR, in simulator
 * mode, logs silenced, every limit lifted (all test clients are 127.0.0.1). `env`
 * overrides the environment it is configured from (e.g. `{ TICKET_TTL_SECONDS: '3' }`,
 * or a limit a test is about).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  clock?: Clock,
  onLog?: (line: Record<string, unknown>) => void,
): Promise<TestServer> {
  const dir = tempDir('mp-scan-login-test-');
  const dataDir = dir.path;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-for-hs256',
    ...LIFTED_LIMITS,
    ...env,
  });
  // With onLog the test reads every line (at info and up), parsed.
  const log = onLog && createLogger('info', { write: (line: string) => onLog(JSON.parse(line)) });
  const running = await startServer(config, { clock, log });
  const simulator = running.simulator ?? sharedSimulators.get(config.wechat.apiBase ?? '');
  if (!simulator) throw new Error('test servers run in simulator mode: embedded, or shared by startTestSimulator()');
  return {
    url: running.url,
    wsUrl: running.url.replace(/^http/, 'ws'),
    publicUrl: running.publicUrl,
    simulator,
    service: running.service,
    dataDir,
    metricsUrl: running.metricsUrl,
    async close() {
      await running.close();
      dir.remove();
    },
  };
}

const sharedSimulators = new Map<string, WeChatSimulator>();

/**
 * `npm run simulator` in this process, quotas off: give instances `{ WECHAT_API_BASE:
 * shared.apiBase }` and they share its WeChat; their TestServer.simulator is this one.
 */
export async function startTestSimulator(phoneUrl = 'http://localhost:3000/miniapp/'): Promise<RunningSimulator> {
  const running = await startSimulatorServer(
    { port: 0, host: '127.0.0.1', phoneUrl, quotas: false, faults: true, logLevel: 'silent' },
    { log: createLogger('silent') },
  );
  sharedSimulators.set(running.apiBase, running.simulator);
  return {
    ...running,
    async close() {
      sharedSimulators.delete(running.apiBase);
      await running.close();
    },
  };
}
