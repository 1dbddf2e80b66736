import { ConfigError, loadConfig } from '../../config/config';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: undefined,
      ticketTtlSeconds: 120,
      logLevel: 'info',
      wechat: { mode: 'simulator', envVersion: 'release', checkPath: true, page: 'pages/confirm/index', codeWidth: 430 },
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('switches to real WeChat when both appid and secret are set', () => {
    const config = loadConfig({ WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'a'.repeat(32) });
    expect(config.wechat).toMatchObject({ mode: 'real', apiBase: 'https://api.weixin.qq.com' });
  });

  it('skips the page check for trial and develop builds unless told otherwise', () => {
    expect(loadConfig({ WECHAT_ENV_VERSION: 'trial' }).wechat.checkPath).toBe(false);
    expect(loadConfig({ WECHAT_ENV_VERSION: 'develop', WECHAT_CHECK_PATH: 'true' }).wechat.checkPath).toBe(true);
  });

  it('treats an empty variable as unset and trims a trailing slash off PUBLIC_URL', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: 'http://192.168.1.5:3000/' });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://192.168.1.5:3000');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TICKET_TTL_SECONDS: '0' }, 'TICKET_TTL_SECONDS'],
    [{ PUBLIC_URL: 'localhost:3000' }, 'PUBLIC_URL'],
    [{ WECHAT_ENV_VERSION: 'beta' }, 'WECHAT_ENV_VERSION'],
    [{ WECHAT_PAGE: '/pages/confirm/index' }, 'WECHAT_PAGE'],
    [{ WECHAT_CODE_WIDTH: '100' }, 'WECHAT_CODE_WIDTH'],
    [{ WECHAT_APPID: 'wx1234567890abcdef' }, 'WECHAT_SECRET'],
    [{ WECHAT_SECRET: 'a'.repeat(32) }, 'WECHAT_APPID'],
    [{ WECHAT_APPID: 'not-an-appid', WECHAT_SECRET: 'a'.repeat(32) }, 'WECHAT_APPID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1/test' }, 'DATABASE_URL'],
  ])('stops start-up on %j, naming %s', (env, name) => {
    const found = problems(env);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(name);
  });

  it('refuses to run production without a long JWT_SECRET', () => {
    expect(problems({ NODE_ENV: 'production' }).join()).toContain('JWT_SECRET');
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'short' }).join()).toContain('JWT_SECRET');
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('lists every bad variable at once', () => {
    expect(problems({ PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });
});
