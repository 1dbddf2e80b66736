import { ipKey } from '../../../server/limits/ip-key';

describe('ipKey', () => {
  it('keys an IPv4 address by itself', () => {
    expect(ipKey('198.51.100.7')).toBe('198.51.100.7');
  });

  it('keys every address of one IPv6 /64 alike, however it is written', () => {
    const keys = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:abcd::'].map(ipKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
  });

  it('tells apart neighbouring /64s', () => {
    expect(ipKey('2001:db8:1:2::1')).not.toBe(ipKey('2001:db8:1:3::1'));
  });

  it('expands :: at the front and keeps the loopback a key of its own', () => {
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('fe80::1')).toBe('fe80:0:0:0::/64');
  });
});
