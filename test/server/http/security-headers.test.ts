import { connect } from 'node:net';
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

  it.each(['/', '/miniapp/'])('sends a strict Content-Security-Policy with the HTML page %s', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it("sends helmet's whole set, the same on every answer", async () => {
    const names = ['referrer-policy', 'cross-origin-opener-policy', 'x-xss-protection', 'content-security-policy'];
    const [first, second] = await Promise.all([fetch(`${server.url}/healthz`), fetch(`${server.url}/api/nothing`)]);
    for (const name of names) expect(first.headers.get(name)).toBe(second.headers.get(name));
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    expect(first.headers.get('x-xss-protection')).toBe('0');
    expect(first.headers.get('x-powered-by')).toBeNull();
  });

  it('sends no HSTS on plain http, where it would pin localhost to https', async () => {
    expect((await fetch(`${server.url}/`)).headers.get('strict-transport-security')).toBeNull();
  });

  it('keeps the code image to this origin', async () => {
    const { qrcodeUrl } = await (await fetch(`${server.url}/api/login/tickets`, { method: 'POST' })).json();
    const image = await fetch(`${server.url}${qrcodeUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it.each(['/', '/miniapp/', '/healthz'])('answers HEAD %s as GET would, without the body', async (path) => {
    const get = await fetch(`${server.url}${path}`);
    const getBody = await get.arrayBuffer();
    const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(Number(head.headers.get('content-length'))).toBe(getBody.byteLength);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('securityHeaders on https', () => {
  it('sends HSTS when PUBLIC_URL is https', async () => {
    const server = await startTestServer({ PUBLIC_URL: 'https://login.example.com' });
    try {
      const response = await fetch(`${server.url}/`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    } finally {
      await server.close();
    }
  });
});

describe('client aborts', () => {
  let server: TestServer;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startTestServer({}, undefined, (line) => logged.push(line));
  });

  afterAll(async () => {
    await server.close();
  });

  function raw(request: string, then: 'abort' | 'wait'): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (data) => (answer += data));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
      socket.write(request, () => {
        if (then === 'abort') setTimeout(() => socket.destroy(), 50);
      });
    });
  }

  async function settled(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  it('logs an upload aborted mid-body at info as a 4xx, never a 500', async () => {
    logged.length = 0;
    await raw(
      'POST /api/login/tickets/AAAAAAAAAAAAAAAAAAAAAA/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"launch',
      'abort',
    );
    await settled();
    const requestLine = logged.find((line) => line.msg === 'request' && line.path?.toString().endsWith('/scan'));
    expect(requestLine).toMatchObject({ level: 30, status: 400 });
    expect(logged.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it('answers a malformed chunked body with a 4xx and logs no error', async () => {
    logged.length = 0;
    const answer = await raw(
      'POST /api/login/tickets/AAAAAAAAAAAAAAAAAAAAAA/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'wait',
    );
    await settled();
    expect(answer).toMatch(/^HTTP\/1.1 4\d\d/);
    expect(logged.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
