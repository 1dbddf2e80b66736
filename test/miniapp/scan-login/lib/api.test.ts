import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { LoginApi } from '../../../../miniapp/src/scan-login/lib/api';
import { LoginError } from '../../../../miniapp/src/scan-login/lib/login-error';
import { DEFAULT_PREFIX } from '../../../../miniapp/src/scan-login/lib/login-server';
import { fetchTransport } from '../../support/fetch-transport';
import { ScriptedServer } from '../../support/scripted-server';

const SCANNED = {
  status: 'scanned',
  scanToken: 'scan-token',
  requester: { ip: '203.0.113.7', browser: 'Chrome 131', os: 'macOS 15', createdAt: '2025-11-25T04:00:00.000Z' },
  expiresAt: '2025-11-25T04:02:00.000Z',
};

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<LoginError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof LoginError)) throw new Error(`expected a LoginError, got ${String(error)}`);
  return error;
}

describe('LoginApi', () => {
  let server: ScriptedServer;
  let api: LoginApi;

  beforeEach(async () => {
    server = await new ScriptedServer().start();
    api = new LoginApi({ apiBase: server.url, prefix: DEFAULT_PREFIX }, fetchTransport);
  });
  afterEach(() => server.close());

  it('posts scan with the launch scene and returns the requester', async () => {
    server.answer(200, { ...SCANNED, site: { name: 'Example' } });
    const scan = await api.scan('4fZ8kQ2mN7xP1aB3cD5eF6', { launchScene: 1047 });
    expect(scan).toEqual({
      scanToken: SCANNED.scanToken,
      requester: SCANNED.requester,
      expiresAt: SCANNED.expiresAt,
      // This machine's clock agrees with the server's Date header: the expiry as it is.
      deadline: Date.parse(SCANNED.expiresAt),
      site: { name: 'Example' },
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/api/login/tickets/4fZ8kQ2mN7xP1aB3cD5eF6/scan',
        contentType: 'application/json',
        body: { launchScene: 1047 },
      },
    ]);
  });

  it('posts the scan token of an earlier scan, with the launch scene, to resume it', async () => {
    server.answer(200, SCANNED);
    await api.scan('t', { launchScene: 1047, scanToken: 'scan-token' });
    expect(server.requests[0].body).toEqual({ launchScene: 1047, scanToken: 'scan-token' });
  });

  it("moves the expiry onto the phone's clock when that clock is five minutes fast", async () => {
    const fast = new LoginApi({ apiBase: server.url, prefix: DEFAULT_PREFIX }, fetchTransport, () => Date.now() + 300_000);
    server.answer(200, SCANNED);
    const { deadline } = await fast.scan('t');
    // The Date header counts whole seconds, so the offset is known to within one.
    expect(deadline - Date.parse(SCANNED.expiresAt)).toBeGreaterThanOrEqual(299_000);
    expect(deadline - Date.parse(SCANNED.expiresAt)).toBeLessThanOrEqual(300_000);
  });

  it.each(['simulator', 'real'])("passes on the server's WeChat mode %s", async (wechat) => {
    server.answer(200, { ...SCANNED, wechat });
    expect((await api.scan('t')).wechat).toBe(wechat);
  });

  it.each([['an unknown mode', 'SIMULATOR'], ['a mode that is not a string', true], ['no mode', undefined]])(
    'leaves the WeChat mode out for %s',
    async (_what, wechat) => {
      server.answer(200, { ...SCANNED, wechat });
      expect('wechat' in (await api.scan('t'))).toBe(false);
    },
  );

  it('posts an empty scan body when the launch scene is unknown, and escapes the id in the path', async () => {
    server.answer(200, SCANNED);
    await api.scan('a/b?c');
    expect(server.requests[0]).toMatchObject({ path: '/api/login/tickets/a%2Fb%3Fc/scan', body: {} });
  });

  it('posts confirm and cancel with the scan token', async () => {
    server.answer(200, { status: 'confirmed', user: { id: 'u1' } });
    server.answer(200, { status: 'cancelled' });
    await api.confirm('t1', { scanToken: 's', code: 'c', profile: { nickname: 'Ann' } });
    await api.cancel('t2', 's');
    expect(server.requests.map(({ path, body }) => [path, body])).toEqual([
      ['/api/login/tickets/t1/confirm', { scanToken: 's', code: 'c', profile: { nickname: 'Ann' } }],
      ['/api/login/tickets/t2/cancel', { scanToken: 's' }],
    ]);
  });

  it.each([
    [410, 'TICKET_EXPIRED'],
    [410, 'TICKET_CONSUMED'],
    [409, 'TICKET_ALREADY_SCANNED'],
    [409, 'TICKET_CANCELLED'],
    [404, 'TICKET_NOT_FOUND'],
    [403, 'SCAN_TOKEN_INVALID'],
    [400, 'WECHAT_CODE_INVALID'],
    [429, 'RATE_LIMITED'],
    [503, 'WECHAT_UNAVAILABLE'],
  ])('maps a %i {"error":{"code":"%s"}} answer to that code', async (status, code) => {
    server.answer(status, { error: { code, message: `server says ${code}` } });
    const error = await failure(api.cancel('t', 's'));
    expect([error.code, error.status, error.message]).toEqual([code, status, `server says ${code}`]);
  });

  it('maps an error answer without the contract body to HTTP_ERROR with its status', async () => {
    server.answer(502, '<html>Bad Gateway</html>', 'text/html');
    const error = await failure(api.cancel('t', 's'));
    expect([error.code, error.status]).toEqual(['HTTP_ERROR', 502]);
  });

  it('rejects a success answer that is not what the contract promises as BAD_RESPONSE', async () => {
    server.answer(200, { status: 'scanned', scanToken: 's' });
    server.answer(200, { ...SCANNED, expiresAt: 'in two minutes' });
    expect((await failure(api.scan('t'))).code).toBe('BAD_RESPONSE');
    expect((await failure(api.scan('t'))).code).toBe('BAD_RESPONSE');
  });

  it('maps a request that gets no answer to NETWORK_ERROR', async () => {
    const offline = new LoginApi({ apiBase: `http://127.0.0.1:${await closedPort()}`, prefix: DEFAULT_PREFIX }, fetchTransport);
    const error = await failure(offline.scan('t'));
    expect([error.code, error.status]).toEqual(['NETWORK_ERROR', undefined]);
  });

  it('sends the ticket calls under the prefix the server library was mounted at', async () => {
    const hosted = new LoginApi({ apiBase: `${server.url}/site`, prefix: '/auth/wechat' }, fetchTransport);
    server.answer(200, SCANNED);
    server.answer(200, { status: 'confirmed', user: { id: 'u1' } });
    server.answer(200, { status: 'cancelled' });
    await hosted.scan('t1');
    await hosted.confirm('t1', { scanToken: 's', code: 'c' });
    await hosted.cancel('t1', 's');
    expect(server.requests.map(({ path }) => path)).toEqual([
      '/site/auth/wechat/tickets/t1/scan',
      '/site/auth/wechat/tickets/t1/confirm',
      '/site/auth/wechat/tickets/t1/cancel',
    ]);
  });

  it("asks the simulator for a user's code at the server's root, outside the prefix", async () => {
    const hosted = new LoginApi({ apiBase: server.url, prefix: '/auth/wechat' }, fetchTransport);
    server.answer(200, { code: 'sim-code' });
    expect(await hosted.simulatorCode('bob')).toBe('sim-code');
    expect(server.requests[0]).toMatchObject({ path: '/__wechat__/sim/login', body: { user: 'bob' } });
  });

  it("asks the simulator for a user's code", async () => {
    server.answer(200, { code: 'sim-code' });
    expect(await api.simulatorCode('bob')).toBe('sim-code');
    expect(server.requests[0]).toMatchObject({ path: '/__wechat__/sim/login', body: { user: 'bob' } });
  });

  it('treats a simulator answer without a code as BAD_RESPONSE', async () => {
    server.answer(200, { code: '' });
    expect((await failure(api.simulatorCode('bob'))).code).toBe('BAD_RESPONSE');
  });
});
