import { startTestServer, type TestServer } from '../../support/test-server';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${url}/metrics`, { method, headers });

describe('metricsRoutes on the main port', () => {
  describe('with METRICS_TOKEN', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({ METRICS_TOKEN: TOKEN });
    });

    afterAll(async () => {
      await server?.close();
    });

    it.each([
      ['no Authorization', {}],
      ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
      ['the token of another scheme', { authorization: `Basic ${TOKEN}` }],
    ])('answers 401 METRICS_TOKEN_INVALID to %s, without a counter', async (_, headers) => {
      const response = await get(server.url, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await response.text();
      expect(JSON.parse(body).error.code).toBe('METRICS_TOKEN_INVALID');
      expect(body).not.toContain('mp_scan_login_');
    });

    it('answers the exposition to the bearer of the token', async () => {
      const response = await get(server.url, { authorization: `Bearer ${TOKEN}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toContain('# TYPE mp_scan_login_logins_total counter');
    });

    it('answers HEAD as GET, without the body', async () => {
      const response = await get(server.url, { authorization: `Bearer ${TOKEN}` }, 'HEAD');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    });
  });

  describe('without METRICS_TOKEN', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer();
    });

    afterAll(async () => {
      await server?.close();
    });

    it('is an unknown path, whatever the Authorization', async () => {
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
      for (const headers of attempts) {
        const response = await get(server.url, headers);
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain('mp_scan_login_');
      }
    });
  });
});
