import { cryptoRandom, ID_PATTERN, newId, newSecret, secretMatches, sha256 } from '../../../server/core/random';

describe('random cryptoRandom', () => {
  it('hands out the sizes asked for, never the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = cryptoRandom(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(cryptoRandom(10_000)).toHaveLength(10_000);
  });

  it('gives each caller its own copy: refilling the pool changes no bytes handed out', () => {
    const first = cryptoRandom(32);
    const copy = Buffer.from(first);
    for (let i = 0; i < 300; i++) cryptoRandom(32);
    expect(first.equals(copy)).toBe(true);
  });
});

describe('random newId', () => {
  it('is 22 base62 characters, also for the largest and smallest 128-bit values', () => {
    expect(newId(() => Buffer.alloc(16, 0xff))).toMatch(ID_PATTERN);
    expect(newId(() => Buffer.alloc(16, 0))).toBe('0'.repeat(22));
    expect(newId(cryptoRandom)).toMatch(ID_PATTERN);
  });

  it('encodes the random bits, so different bits give different ids', () => {
    const a = newId(() => Buffer.alloc(16, 1));
    const b = newId(() => Buffer.alloc(16, 2));
    expect(a).not.toBe(b);
  });

  it('asks for exactly 128 bits', () => {
    const sizes: number[] = [];
    newId((n) => {
      sizes.push(n);
      return Buffer.alloc(n);
    });
    expect(sizes).toEqual([16]);
  });
});

describe('random newSecret', () => {
  it('is 32 bytes in base64url (43 characters)', () => {
    expect(newSecret(() => Buffer.alloc(32, 7))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('random secretMatches', () => {
  const hash = sha256('right');

  it('accepts the secret whose hash is stored', () => {
    expect(secretMatches('right', hash)).toBe(true);
  });

  it('refuses a wrong, empty or missing secret, and a missing hash', () => {
    expect(secretMatches('wrong', hash)).toBe(false);
    expect(secretMatches('', hash)).toBe(false);
    expect(secretMatches(undefined, hash)).toBe(false);
    expect(secretMatches('right', undefined)).toBe(false);
  });
});
