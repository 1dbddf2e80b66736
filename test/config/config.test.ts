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
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ WECHAT_SIMULATOR: 'maybe' }, 'WECHAT_SIMULATOR'],
    [{ WECHAT_SIMULATOR: 'false' }, 'WECHAT_APPID'],
    [{ WECHAT_SIMULATOR: 'true', WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'a'.repeat(32) }, 'WECHAT_SIMULATOR'],
    [{ PHONE_RATE_LIMIT_PER_MINUTE: '-5' }, 'PHONE_RATE_LIMIT_PER_MINUTE'],
    [{ WECHAT_CODE_FETCHES_PER_MINUTE: 'lots' }, 'WECHAT_CODE_FETCHES_PER_MINUTE'],
    [{ WS_SUBSCRIBE_TIMEOUT_MS: '1.5' }, 'WS_SUBSCRIBE_TIMEOUT_MS'],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, 'SHUTDOWN_TIMEOUT_MS'],
    [{ CORS_ORIGINS: 'https://ok.example, *' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://example.com/path' }, 'CORS_ORIGINS'],
    [{ OIDC_CLIENTS: 'not json' }, 'OIDC_CLIENTS'],
    [{ OIDC_CLIENTS: '[]' }, 'OIDC_CLIENTS'],
    [{ OIDC_CLIENTS: '[{"client_id":"a"}]' }, 'redirect_uris'],
    [{ OIDC_CLIENTS: '[{"client_id":"a","redirect_uris":["not a url"]}]' }, 'redirect_uris'],
    [{ OIDC_CLIENTS: '[{"client_id":"a","redirect_uris":["https://a.example/cb"],"secret":"x"}]' }, 'secret'],
    [{ OIDC_CLIENTS: '[{"client_id":"a","redirect_uris":["https://a.example/cb"]},{"client_id":"a","redirect_uris":["https://b.example/cb"]}]' }, 'unique'],
    [{ ...{ NODE_ENV: 'production', WECHAT_SIMULATOR: 'true', JWT_SECRET: 'x'.repeat(32), PUBLIC_URL: 'http://login.example.com' }, OIDC_CLIENTS: '[{"client_id":"a","redirect_uris":["https://a.example/cb"]}]' }, 'PUBLIC_URL'],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://127.0.0.1:6379', DATABASE_URL: 'postgres://127.0.0.1/test' }, 'REDIS_URL'],
    [{ DATABASE_URL: 'mysql://127.0.0.1/test' }, 'DATABASE_URL'],
    [{ REDIS_KEY_PREFIX: 'has spaces' }, 'REDIS_KEY_PREFIX'],
  ])('stops start-up on %j, naming %s', (env, name) => {
    const found = problems(env);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(name);
  });

  const realWeChat = { WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'a'.repeat(32) };

  it('refuses to run production without a long JWT_SECRET', () => {
    expect(problems({ NODE_ENV: 'production', ...realWeChat }).join()).toContain('JWT_SECRET');
    expect(problems({ NODE_ENV: 'production', ...realWeChat, JWT_SECRET: 'short' }).join()).toContain('JWT_SECRET');
    expect(problems({ NODE_ENV: 'production', ...realWeChat, JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('fails closed: production without WeChat credentials stops, naming both variables', () => {
    const found = problems({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('WECHAT_APPID');
    expect(found[0]).toContain('WECHAT_SECRET');
    expect(found[0]).toContain('WECHAT_SIMULATOR=true');
  });

  it('runs the simulator in production only when asked, and never with fault injection', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), WECHAT_SIMULATOR: 'true' });
    expect(config.wechat).toMatchObject({ mode: 'simulator', simulatorFaults: false });
    expect(loadConfig({}).wechat.simulatorFaults).toBe(true);
  });

  it.each([
    ['false', 0],
    ['true', 1],
    ['2', 2],
  ])('reads TRUST_PROXY=%s as %d trusted proxies', (value, hops) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(hops);
  });

  it('reads CORS_ORIGINS as a list of exact origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' }).corsOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  it('reads OIDC_CLIENTS as JSON, public clients without a secret, first-party unless said otherwise', () => {
    const clients = loadConfig({
      OIDC_CLIENTS: '[{"client_id":"shop","client_secret":"s","redirect_uris":["https://shop.example/cb"]},{"client_id":"spa","redirect_uris":["http://localhost:5173/cb"],"first_party":false}]',
    }).oidcClients;
    expect(clients).toEqual([
      { client_id: 'shop', client_secret: 's', redirect_uris: ['https://shop.example/cb'], first_party: true },
      { client_id: 'spa', redirect_uris: ['http://localhost:5173/cb'], first_party: false },
    ]);
    expect(loadConfig({}).oidcClients).toBeUndefined();
  });

  it('runs the OpenID provider on several instances: OIDC_CLIENTS with REDIS_URL and DATABASE_URL', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://127.0.0.1/test',
      OIDC_CLIENTS: '[{"client_id":"a","redirect_uris":["https://a.example/cb"]}]',
    });
    expect(config).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', oidcClients: [{ client_id: 'a' }] });
  });

  it('has the documented limits by default', () => {
    expect(loadConfig({}).limits).toEqual({
      ticketsPerMinute: 600,
      phoneRequestsPerMinute: 300,
      codeImagesPerMinutePerIp: 60,
      wechatCodeFetchesPerMinute: 3000,
      maxLiveTicketsPerIp: 50,
      maxLiveTickets: 50_000,
      wsSubscribeTimeoutMs: 10_000,
      wsMaxConnectionsPerIp: 200,
      wsPingIntervalMs: 30_000,
    });
  });

  it('serves /metrics nowhere by default, a separate listener on loopback unless told', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
    const token = 'm'.repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token, METRICS_PORT: '9464' }).metrics).toEqual({ token, port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics.host).toBe('10.0.0.5');
  });

  it('refuses a short or spaced METRICS_TOKEN, METRICS_PORT on PORT, METRICS_HOST alone', () => {
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN must be at least 32/)]);
    expect(problems({ METRICS_TOKEN: `${'m'.repeat(32)} x` })).toEqual([expect.stringMatching(/^METRICS_TOKEN must not contain spaces/)]);
    expect(problems({ PORT: '3000', METRICS_PORT: '3000' })).toEqual([expect.stringMatching(/^METRICS_PORT must differ from PORT/)]);
    expect(problems({ METRICS_HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^METRICS_HOST is set without METRICS_PORT/)]);
  });

  it('lists every bad variable at once', () => {
    expect(problems({ PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });
});
