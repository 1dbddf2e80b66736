import { startTestServer, TestServer } from '../../support/test-server';

describe('securityHeaders', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(['/healthz', '/api/nothing', '/api/login/tickets/AAAAAAAAAAAAAAAAAAAAAA/qrcode'])(
    'forbids framing and sniffing on %s, errors included',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
    },
  );
});
