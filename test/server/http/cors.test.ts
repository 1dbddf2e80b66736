import { startTestServer, TestServer } from '../../support/test-server';

describe('cors', () => {
  const allowed = 'http://blog.example.test:8080';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: `${allowed}, https://other.example.test` });
  });

  afterAll(async () => {
    await server.close();
  });

  const preflight = (origin: string) =>
    fetch(`${server.url}/api/login/tickets`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('answers a preflight from a listed origin, without credentials', async () => {
    const response = await preflight(allowed);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('lets a listed origin read the answer of a real call', async () => {
    const response = await fetch(`${server.url}/api/login/tickets`, { method: 'POST', headers: { origin: allowed } });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it.each(['http://evil.example.test', 'http://blog.example.test', 'null'])(
    'gives an origin not listed (%s) no CORS headers, so the browser keeps the answer from it',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const call = await fetch(`${server.url}/api/login/tickets`, { method: 'POST', headers: { origin } });
      expect(call.headers.get('access-control-allow-origin')).toBeNull();
    },
  );
});
