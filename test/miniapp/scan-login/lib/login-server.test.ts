import { DEFAULT_PREFIX, loginServerOf } from '../../../../miniapp/src/scan-login/lib/login-server';

describe('loginServerOf', () => {
  it("takes the standalone server's /api/login and the platform's address when nothing is set", () => {
    expect(DEFAULT_PREFIX).toBe('/api/login');
    expect(loginServerOf(undefined, undefined, 'http://localhost:3000')).toEqual({
      apiBase: 'http://localhost:3000',
      prefix: '/api/login',
    });
    expect(loginServerOf('', '', '')).toEqual({ apiBase: '', prefix: '/api/login' });
  });

  it("takes a host site's address and the prefix it mounted the server library at", () => {
    expect(loginServerOf('https://example.com', '/auth/wechat', '')).toEqual({
      apiBase: 'https://example.com',
      prefix: '/auth/wechat',
    });
  });

  it('drops trailing slashes, so an address or prefix written either way works', () => {
    expect(loginServerOf('https://example.com/site/', '/auth/wechat/', '')).toEqual({
      apiBase: 'https://example.com/site',
      prefix: '/auth/wechat',
    });
  });

  it.each([
    ['no leading slash', 'auth/wechat'],
    ['a query', '/auth?x=1'],
    ['an empty segment', '/auth//wechat'],
    ['a space', '/auth wechat'],
  ])('refuses a prefix with %s, which the server library refuses too', (_what, prefix) => {
    expect(() => loginServerOf('https://example.com', prefix, '')).toThrow(`not "${prefix}"`);
  });

  it.each(['example.com', 'ftp://example.com', 'https://', 'https://example.com?x=1'])(
    'refuses the address %s, which is not an http(s) URL',
    (apiBase) => {
      expect(() => loginServerOf(apiBase, '', '')).toThrow(`not "${apiBase}"`);
    },
  );
});
