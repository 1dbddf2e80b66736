import { LIFTED_LIMITS } from '../../config/config';
import { deleteKeys, openTestRedis, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp-dir';

export interface Instance {
  process: ServerProcess;
  /** Its own loopback URL, around nginx. */
  url: string;
  port: number;
}

export interface InstancesOptions {
  /** The suite's PostgreSQL database (describeWithPostgres). */
  databaseUrl: string;
  /** Where nginx will answer: the instances' PUBLIC_URL and the simulator's phone page. */
  publicUrl: string;
  /** More environment for both instances, e.g. `{ WS_PING_INTERVAL_MS: '1000' }`. */
  env?: Record<string, string>;
}

/**
 * Two instances of `npm start` as real processes (so that one can be `kill -9`ed), as
 * deploy/systemd runs them: TRUST_PROXY=1 behind nginx at `publicUrl`, tickets and bus in
 * the test Redis under a key prefix of their own, users in the suite's PostgreSQL, and one
 * `npm run simulator` for both, so a wx.login code from either instance works on the other.
 */
export class Instances {
  private constructor(
    readonly a: Instance,
    readonly b: Instance,
    private readonly simulator: ServerProcess,
    private readonly prefix: string,
    private readonly dirs: { remove(): void }[],
  ) {}

  static async start({ databaseUrl, publicUrl, env = {} }: InstancesOptions): Promise<Instances> {
    const prefix = uniquePrefix();
    const simulatorPort = await freePort();
    const simulator = startServerProcess(
      { PORT: String(simulatorPort), SIMULATOR_PHONE_URL: `${publicUrl}/miniapp/`, LOG_LEVEL: 'info' },
      'simulator-main.ts',
    );
    const dirs = [tempDir(), tempDir()];
    const processes = dirs.map((dir) =>
      startServerProcess({
        ...LIFTED_LIMITS,
        PORT: '0',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'info',
        JWT_SECRET: 'deploy-test-jwt-secret-shared-by-both-instances',
        PUBLIC_URL: publicUrl,
        TRUST_PROXY: '1',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        DATABASE_URL: databaseUrl,
        WECHAT_API_BASE: `http://127.0.0.1:${simulatorPort}/__wechat__`,
        ...env,
      }),
    );
    const instance = async (process: ServerProcess): Promise<Instance> => {
      const url = await process.ready();
      return { process, url, port: Number(new URL(url).port) };
    };
    try {
      const [a, b] = await Promise.all([instance(processes[0]), instance(processes[1]), simulator.ready()]);
      return new Instances(a, b, simulator, prefix, dirs);
    } catch (error) {
      await Promise.all([simulator, ...processes].map(kill));
      dirs.forEach((dir) => dir.remove());
      throw error;
    }
  }

  /** `kill -9`: no drain, no 1012; resolves once it is gone. */
  kill(instance: Instance): Promise<void> {
    return kill(instance.process);
  }

  /** Kills every process, then deletes the Redis keys and data directories they used. */
  async stop(): Promise<void> {
    await Promise.all([this.a.process, this.b.process, this.simulator].map(kill));
    const redis = await openTestRedis(this.prefix);
    await deleteKeys(redis, this.prefix);
    await redis.close();
    this.dirs.forEach((dir) => dir.remove());
  }
}

async function kill(process: ServerProcess): Promise<void> {
  if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
  await process.exited;
}
