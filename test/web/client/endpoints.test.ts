import { DEFAULT_PREFIX, loginEndpoints } from '../../../web/src/client/endpoints';

describe('loginEndpoints', () => {
  it("puts the contract's routes under /api/login by default", () => {
    const endpoints = loginEndpoints('https://login.example.com');
    expect(DEFAULT_PREFIX).toBe('/api/login');
    expect(endpoints).toMatchObject({
      baseUrl: 'https://login.example.com',
      tickets: 'https://login.example.com/api/login/tickets',
      socket: 'wss://login.example.com/api/login/ws',
    });
    expect(endpoints.ticket('4fZ8kQ2mN7xP1aB3cD5eF6')).toBe('https://login.example.com/api/login/tickets/4fZ8kQ2mN7xP1aB3cD5eF6');
  });

  it("puts them under a host's prefix, ws on ws: for an http server", () => {
    const endpoints = loginEndpoints('http://127.0.0.1:8080', '/auth/wechat');
    expect(endpoints.tickets).toBe('http://127.0.0.1:8080/auth/wechat/tickets');
    expect(endpoints.socket).toBe('ws://127.0.0.1:8080/auth/wechat/ws');
    expect(endpoints.ticket('a/b')).toBe('http://127.0.0.1:8080/auth/wechat/tickets/a%2Fb');
  });

  it.each([
    ['a trailing slash on the server', 'https://example.com/', '/auth/wechat'],
    ['a trailing slash on the prefix', 'https://example.com', '/auth/wechat/'],
    ['no leading slash on the prefix', 'https://example.com', 'auth/wechat'],
  ])('forgives %s', (_what, baseUrl, prefix) => {
    expect(loginEndpoints(baseUrl, prefix).tickets).toBe('https://example.com/auth/wechat/tickets');
  });
});
