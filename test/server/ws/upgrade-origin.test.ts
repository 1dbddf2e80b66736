import type { IncomingMessage } from 'node:http';
import { UpgradeOrigins } from '../../../server/ws/upgrade-origin';

function upgrade(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('UpgradeOrigins', () => {
  const origins = new UpgradeOrigins(['https://blog.example.org'], 'https://login.example.com', 0);

  it('lets a request without Origin through: no browser page sent it', () => {
    expect(origins.allows(upgrade({ host: 'login.example.com' }))).toBe(true);
  });

  it('allows the public origin and the listed origins', () => {
    expect(origins.allows(upgrade({ host: 'internal:3000', origin: 'https://login.example.com' }))).toBe(true);
    expect(origins.allows(upgrade({ host: 'internal:3000', origin: 'https://blog.example.org' }))).toBe(true);
  });

  it('allows a page of the host the request was addressed to', () => {
    expect(origins.allows(upgrade({ host: 'localhost:5173', origin: 'http://localhost:5173' }))).toBe(true);
    expect(origins.allows(upgrade({ host: 'LOCALHOST:5173', origin: 'http://localhost:5173' }))).toBe(true);
  });

  it('refuses any other origin, a look-alike of a listed one and a malformed one', () => {
    for (const origin of ['https://evil.example', 'https://blog.example.org.evil.example', 'http://blog.example.org', 'null', 'not a url']) {
      expect(origins.allows(upgrade({ host: 'login.example.com', origin }))).toBe(false);
    }
  });

  it('believes X-Forwarded-Host only behind a trusted proxy', () => {
    const request = upgrade({ host: '10.0.0.5:3000', origin: 'https://shop.example.net', 'x-forwarded-host': 'shop.example.net' });
    expect(new UpgradeOrigins([], undefined, 0).allows(request)).toBe(false);
    expect(new UpgradeOrigins([], undefined, 1).allows(request)).toBe(true);
  });
});
