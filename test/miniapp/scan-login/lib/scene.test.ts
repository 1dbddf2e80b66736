import { decodeScene } from '../../../../miniapp/src/scan-login/lib/scene';

describe('decodeScene', () => {
  it('returns a plain scene unchanged', () => {
    expect(decodeScene('4fZ8kQ2mN7xP1aB3cD5eF6')).toBe('4fZ8kQ2mN7xP1aB3cD5eF6');
  });

  it('decodes a URL-encoded scene, as a scan hands it over', () => {
    expect(decodeScene(encodeURIComponent('id=4fZ8kQ2m&v=1'))).toBe('id=4fZ8kQ2m&v=1');
    expect(decodeScene('a%2Fb%3Fc')).toBe('a/b?c');
  });

  it('decodes only once, so a double-encoded scene is rejected rather than guessed at', () => {
    expect(decodeScene(encodeURIComponent(encodeURIComponent('a/b')))).toBeNull();
  });

  it('accepts every character WeChat allows in a scene, up to 32 of them', () => {
    const allowed = "09AZaz!#$&'()*+,/:;=?@-._~";
    expect(decodeScene(encodeURIComponent(allowed))).toBe(allowed);
    expect(decodeScene('x'.repeat(32))).toBe('x'.repeat(32));
  });

  it('returns null for a missing, empty, too long or malformed scene', () => {
    expect(decodeScene(undefined)).toBeNull();
    expect(decodeScene(null)).toBeNull();
    expect(decodeScene('')).toBeNull();
    expect(decodeScene('x'.repeat(33))).toBeNull();
    expect(decodeScene('%E0%A4%A')).toBeNull();
    expect(decodeScene('has space')).toBeNull();
    expect(decodeScene('<script>')).toBeNull();
  });
});
