import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/config';
import { loadSimulatorConfig } from '../../config/simulator-config';
import { neededService } from '../support/needed-service';
import { freePort, startServerProcess } from '../support/server-process';
import { tempDir } from '../support/temp-dir';

/**
 * The systemd units cannot run here (no systemd as PID 1), so what they promise is checked
 * against the code they run: the command is `npm start`'s, and with the unit's environment
 * it serves and exits 0 on SIGTERM; the variables are ones the configuration reads; the
 * example environment fails closed; the stop timeout covers the drain. `systemd-analyze
 * verify` checks their syntax.
 */

const ROOT = join(__dirname, '..', '..');
const SYSTEMD = join(ROOT, 'deploy', 'systemd');
const INSTANCE_UNIT = 'mp-scan-login@.service';
const SIMULATOR_UNIT = 'mp-scan-login-simulator.service';
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** `Key` of `[Section]` → its values, in order (Environment= may repeat). */
function readUnit(name: string): (sectionKey: string) => string[] {
  const entries: [string, string][] = [];
  let section = '';
  for (const line of readFileSync(join(SYSTEMD, name), 'utf8').split('\n')) {
    section = /^\[(\w+)\]$/.exec(line)?.[1] ?? section;
    const entry = /^(\w+)=(.*)$/.exec(line);
    if (entry) entries.push([`${section}.${entry[1]}`, entry[2]]);
  }
  return (sectionKey) => entries.filter(([key]) => key === sectionKey).map(([, value]) => value);
}

/** The unit's Environment= lines for the instance `instance` (its `%i`). */
function unitEnvironment(values: string[], instance: string): Record<string, string> {
  return Object.fromEntries(values.map((value) => value.replaceAll('%i', instance).split(/=(.*)/s).slice(0, 2)));
}

/** The variables a config module's schema reads (its `NAME:` keys), as test/readme.test.ts finds them. */
function variablesOf(configFile: string): string[] {
  const source = readFileSync(join(ROOT, 'config', configFile), 'utf8');
  return [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]);
}

interface ExampleLine {
  name: string;
  value: string;
  commented: boolean;
}

const example: ExampleLine[] = readFileSync(join(SYSTEMD, 'mp-scan-login.env.example'), 'utf8')
  .split('\n')
  .flatMap((line) => {
    const match = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match ? [{ commented: match[1] === '#', name: match[2], value: match[3] }] : [];
  });

/** What an instance on port 3001 sees: the unit's Environment=, overridden by the file (as systemd does). */
function instanceEnv(lines: ExampleLine[], filledIn: Record<string, string> = {}): Record<string, string> {
  const unit = unitEnvironment(readUnit(INSTANCE_UNIT)('Service.Environment'), '3001');
  return { ...unit, ...Object.fromEntries(lines.map(({ name, value }) => [name, value])), ...filledIn };
}

const shipped = example.filter((line) => !line.commented);
const FILLED_IN = { JWT_SECRET: 'k'.repeat(64), WECHAT_APPID: 'wx0123456789abcdef', WECHAT_SECRET: '0123456789abcdef'.repeat(2) };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe(`deploy/systemd/${INSTANCE_UNIT}`, () => {
  const unit = readUnit(INSTANCE_UNIT);

  it('runs the entry point that `npm start` runs, with node itself as the main process', () => {
    const [node, ...args] = unit('Service.ExecStart')[0].split(' ');
    expect(node).toBe('/usr/bin/node');
    expect(args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(`tsx ${args.slice(2).join(' ')}`).toBe(scripts.start);
    expect(existsSync(join(ROOT, args[2]))).toBe(true);
    expect(unit('Service.WorkingDirectory')[0]).toMatch(/^\//);
  });

  it('gives each instance its own port and DATA_DIR, which the shared environment file does not set', () => {
    const env = unitEnvironment(unit('Service.Environment'), '3001');
    expect(env).toMatchObject({ PORT: '3001', HOST: '127.0.0.1', NODE_ENV: 'production' });
    expect(env.DATA_DIR).toBe(`/var/lib/${unit('Service.StateDirectory')[0].replace('%i', '3001')}`);
    expect(unit('Service.EnvironmentFile')).toHaveLength(1);
    // Settings from EnvironmentFile= win over Environment=: one PORT there would put every instance on it.
    expect(example.map((line) => line.name).filter((name) => name in env)).toEqual([]);
  });

  it('stops with SIGTERM and waits for the drain, the sockets and the stores to close before SIGKILL', () => {
    expect(unit('Service.KillSignal')).toEqual(['SIGTERM']);
    const stopSeconds = /^(\d+)s?$/.exec(unit('Service.TimeoutStopSec')[0]);
    expect(stopSeconds).not.toBeNull();
    const documented = example.find((line) => line.name === 'SHUTDOWN_TIMEOUT_MS')?.value;
    const drainMs = loadConfig({ SHUTDOWN_TIMEOUT_MS: documented }).shutdownTimeoutMs;
    expect(drainMs).toBe(loadConfig({}).shutdownTimeoutMs);
    // Past the drain: 1 s for the sockets to answer their 1012, then the stores; 5 s of room.
    expect(Number(stopSeconds![1]) * 1000).toBeGreaterThanOrEqual(drainMs + 5000);
  });

  it('starts an instance from its environment and the filled-in example, which SIGTERM stops with exit 0', async () => {
    const dir = tempDir();
    // The unit's port and state directory may not be free here: the test's own, otherwise as systemd would run it.
    const env = { ...instanceEnv(shipped, FILLED_IN), PORT: String(await freePort()), DATA_DIR: dir.path };
    const run = startServerProcess(env);
    try {
      const health = await fetch(`${await run.ready()}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', wechat: 'real' });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      dir.remove();
    }
  }, 60_000);

  it('restarts a crash but not a drained exit (0), and runs unprivileged in a read-only system', () => {
    expect(unit('Service.Restart')).toEqual(['on-failure']);
    expect(unit('Service.User')[0]).not.toMatch(/^(root|)$/);
    expect(unit('Service.NoNewPrivileges')).toEqual(['true']);
    expect(unit('Service.ProtectSystem')).toEqual(['strict']);
    expect(unit('Service.CapabilityBoundingSet')).toEqual(['']);
  });
});

describe('deploy/systemd/mp-scan-login.env.example', () => {
  it('names only variables that config/config.ts reads', () => {
    const known = new Set(variablesOf('config.ts'));
    expect(known.size).toBeGreaterThan(20);
    expect(example.length).toBeGreaterThan(5);
    expect(example.map((line) => line.name).filter((name) => !known.has(name))).toEqual([]);
  });

  it('is refused as shipped, naming the secret and the WeChat pair still to fill in', () => {
    const problems = configError(instanceEnv(shipped)).problems.join('\n');
    expect(problems).toMatch(/^JWT_SECRET /m);
    expect(problems).toMatch(/^WECHAT_APPID /m);
  });

  it('once filled in, is one instance behind one proxy at an https URL with real WeChat', () => {
    const config = loadConfig(instanceEnv(shipped, FILLED_IN));
    expect(config).toMatchObject({ nodeEnv: 'production', port: 3001, trustProxy: 1, dataDir: '/var/lib/mp-scan-login/3001' });
    expect(config.publicUrl).toMatch(/^https:\/\//);
    expect(config.wechat.mode).toBe('real');
  });

  it('has working lines for several instances and for a demo on the shared simulator', () => {
    const uncommented = (names: string[]) => example.filter((line) => !line.commented || names.includes(line.name));
    const scaled = loadConfig(instanceEnv(uncommented(['REDIS_URL', 'DATABASE_URL']), FILLED_IN));
    expect(scaled.redisUrl).toMatch(/^redis:\/\//);
    expect(scaled.databaseUrl).toMatch(/^postgres:\/\//);
    const demo = loadConfig(instanceEnv(uncommented(['WECHAT_SIMULATOR', 'WECHAT_API_BASE']), { JWT_SECRET: FILLED_IN.JWT_SECRET }));
    expect(demo.wechat).toMatchObject({ mode: 'simulator', apiBase: 'http://127.0.0.1:3100/__wechat__', simulatorFaults: false });
  });
});

describe(`deploy/systemd/${SIMULATOR_UNIT}`, () => {
  const unit = readUnit(SIMULATOR_UNIT);

  it('runs the entry point that `npm run simulator` runs', () => {
    const [node, ...args] = unit('Service.ExecStart')[0].split(' ');
    expect(node).toBe('/usr/bin/node');
    expect(`tsx ${args.slice(2).join(' ')}`).toBe(scripts.simulator);
  });

  it('listens where the example environment points the instances, with variables the simulator reads', () => {
    const env = unitEnvironment(unit('Service.Environment'), '');
    const known = new Set(variablesOf('simulator-config.ts'));
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    const config = loadSimulatorConfig(env);
    const apiBase = example.find((line) => line.name === 'WECHAT_API_BASE')!.value;
    expect(apiBase).toBe(`http://${config.host}:${config.port}/__wechat__`);
    expect(config.phoneUrl).toMatch(/^https:\/\/.+\/miniapp\/$/);
    expect(config.faults).toBe(false);
  });
});

const analyzeMissing = existsSync(SYSTEMD_ANALYZE) ? undefined : 'systemd-analyze is missing: apt-get install -y systemd';
const verifyName = 'deploy/systemd units, by systemd-analyze verify';
const verifyUnits = () => {
  it('raise no warning: every key known, every value parsed, every command executable', () => {
    const dir = tempDir('mp-scan-login-units-');
    try {
      for (const name of [INSTANCE_UNIT, SIMULATOR_UNIT]) copyFileSync(join(SYSTEMD, name), join(dir.path, name));
      const units = [join(dir.path, 'mp-scan-login@3001.service'), join(dir.path, SIMULATOR_UNIT)];
      const verify = spawnSync(SYSTEMD_ANALYZE, ['verify', ...units], { encoding: 'utf8' });
      // It exits 0 on unknown keys and bad values alike; its words are the verdict.
      expect(`${verify.stdout}${verify.stderr}`).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      dir.remove();
    }
  });
};
if (neededService(verifyName, 'systemd-analyze', analyzeMissing, () => describe.skip(verifyName, verifyUnits))) {
  describe(verifyName, verifyUnits);
}
