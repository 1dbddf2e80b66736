import { startServerProcess as start, until } from '../support/server-process';
import { tempDir } from '../support/temp-dir';

describe('main', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    dir.remove();
  });

  it('starts on the defaults, says loudly that WeChat is simulated, logs its URL, and stops on SIGTERM', async () => {
    const run = start({ PORT: '0', DATA_DIR: dir.path });
    await until(() => run.output().includes('ready at'), 60_000);
    expect(run.output()).toContain('WECHAT IS SIMULATED');
    const ready = run.output().split('\n').find((line) => line.includes('ready at'))!;
    const { listening } = JSON.parse(ready);
    const health = await fetch(`${listening}/healthz`);
    expect(health.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 90_000);

  it('fails closed: production without WeChat credentials does not start, naming both variables', async () => {
    const run = start({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dir.path, JWT_SECRET: 'x'.repeat(48) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('WECHAT_APPID');
    expect(run.output()).toContain('WECHAT_SECRET');
    expect(run.output()).not.toContain('ready at');
  });

  it('runs the simulator in production as an explicit demo: sim/login there, fault injection absent', async () => {
    const run = start({
      NODE_ENV: 'production',
      WECHAT_SIMULATOR: 'true',
      PORT: '0',
      DATA_DIR: dir.path,
      JWT_SECRET: 'x'.repeat(48),
    });
    try {
      await until(() => run.output().includes('ready at'), 60_000);
      expect(run.output()).toContain('WECHAT IS SIMULATED');
      const { listening } = JSON.parse(run.output().split('\n').find((line) => line.includes('ready at'))!);
      const post = (path: string, body: object) =>
        fetch(`${listening}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/__wechat__/sim/login', { user: 'demo' })).status).toBe(200);
      expect((await post('/__wechat__/sim/faults', { api: 'jscode2session', errcode: -1 })).status).toBe(404);
      const created = await (await post('/api/login/tickets', {})).json();
      expect(created.wechat).toBe('simulator');
      expect(created).not.toHaveProperty('phoneUrl');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 90_000);

  it('refuses a bad configuration, naming the variable, without a stack trace', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: dir.path });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('PORT');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });
});
