import { scrape } from '../../support/metrics-text';
import { startTestServer, type TestServer } from '../../support/test-server';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

describe('startMetricsListener (METRICS_PORT)', () => {
  describe('alone', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({ METRICS_PORT: '0' });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('serves /metrics on its own loopback port, and the main port does not', async () => {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.metricsUrl).not.toBe(server.url);
      expect(await scrape(server.metricsUrl!)).toContain('mp_scan_login_waiting_sockets 0');
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    });

    it('serves nothing else', async () => {
      for (const path of ['/', '/healthz', '/api/login/tickets']) {
        const response = await fetch(`${server.metricsUrl}${path}`);
        expect(response.status).toBe(404);
        expect((await response.json()).error.code).toBe('NOT_FOUND');
      }
      const post = await fetch(`${server.metricsUrl}/metrics`, { method: 'POST' });
      expect(post.status).toBe(405);
    });
  });

  it('asks for METRICS_TOKEN there too when both are set', async () => {
    const server = await startTestServer({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    try {
      expect((await fetch(`${server.metricsUrl}/metrics`)).status).toBe(401);
      expect(await scrape(server.metricsUrl!, TOKEN)).toContain('mp_scan_login_logins_total');
      expect(await scrape(server.url, TOKEN)).toContain('mp_scan_login_logins_total');
    } finally {
      await server.close();
    }
  });

  it('closes with the server', async () => {
    const server = await startTestServer({ METRICS_PORT: '0' });
    const url = server.metricsUrl!;
    // A scraper's keep-alive connection does not hold the close open.
    await scrape(url);
    await server.close();
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });
});
