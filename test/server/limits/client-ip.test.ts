import type { IncomingMessage } from 'node:http';
import { clientIp, normalize } from '../../../server/limits/client-ip';

function request(remoteAddress: string, forwardedFor?: string | string[]): IncomingMessage {
  return { socket: { remoteAddress }, headers: { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('clientIp', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientIp(request('203.0.113.9', '127.0.0.1'), 0)).toBe('203.0.113.9');
  });

  it('takes the entry the nearest trusted proxy wrote, not the client-chosen leftmost one', () => {
    expect(clientIp(request('10.0.0.2', '127.0.0.1, 198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientIp(request('10.0.0.2', '127.0.0.1, 198.51.100.7, 10.0.0.1'), 2)).toBe('198.51.100.7');
  });

  it('reads every X-Forwarded-For header as one list', () => {
    expect(clientIp(request('10.0.0.2', ['1.1.1.1', '198.51.100.7']), 1)).toBe('198.51.100.7');
  });

  it('takes the leftmost entry when fewer proxies wrote than are trusted', () => {
    expect(clientIp(request('10.0.0.2', '198.51.100.7'), 2)).toBe('198.51.100.7');
  });

  it.each(['not-an-ip', '198.51.100.7:8080', '<script>', '999.1.1.1', ''])(
    'falls back to the socket address for a proxy entry %j that is not an IP',
    (entry) => {
      expect(clientIp(request('10.0.0.2', `1.1.1.1, ${entry}`), 1)).toBe(entry === '' ? '1.1.1.1' : '10.0.0.2');
    },
  );

  it('falls back to the socket address without the header', () => {
    expect(clientIp(request('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  it('shows an IPv4-mapped socket address as IPv4', () => {
    expect(clientIp(request('::ffff:192.0.2.1'), 0)).toBe('192.0.2.1');
  });
});

describe('normalize', () => {
  it('keeps valid addresses, lower-cased, and refuses the rest', () => {
    expect(normalize('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalize('192.0.2.1')).toBe('192.0.2.1');
    expect(normalize('localhost')).toBeUndefined();
  });
});
