import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

/** Randomness as the core sees it: injected so tests can make ids predictable. */
export type RandomBytes = (size: number) => Buffer;

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let used = POOL_SIZE;

/**
 * The CSPRNG, drawn 4 KB at a time: each call into OpenSSL costs several µs here whatever
 * its size, and a login takes half a dozen ids and secrets (Node's randomUUID pools for the
 * same reason). Every byte is handed out once, copied, so no caller shares or sees another's.
 */
export const cryptoRandom: RandomBytes = (size) => {
  if (size > POOL_SIZE) return randomFillSync(Buffer.allocUnsafe(size));
  if (used + size > POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + size));
  used += size;
  return bytes;
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^22 > 2^128, so 22 digits hold any 128-bit number. */
const ID_LENGTH = 22;

/**
 * A 22-character base62 id from 128 random bits. It is also the WeChat `scene`
 * (at most 32 characters, base62 is inside WeChat's allowed set), so it must never be a
 * timestamp or a counter: anyone who sees one code must learn nothing about another.
 */
export function newId(random: RandomBytes): string {
  let value = BigInt('0x' + random(16).toString('hex'));
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    id = BASE62[Number(value % 62n)] + id;
    value /= 62n;
  }
  return id;
}

export const ID_PATTERN = /^[0-9A-Za-z]{22}$/;

/** A bearer secret: 32 random bytes, base64url. Shown once; only its hash is kept. */
export function newSecret(random: RandomBytes): string {
  return random(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Compares a presented secret with a stored hash in constant time. Hashing first makes
 * both sides the same length, so timingSafeEqual never throws and length leaks nothing.
 */
export function secretMatches(presented: string | undefined, storedHash: string | undefined): boolean {
  if (presented === undefined || storedHash === undefined) return false;
  return timingSafeEqual(Buffer.from(sha256(presented), 'hex'), Buffer.from(storedHash, 'hex'));
}
