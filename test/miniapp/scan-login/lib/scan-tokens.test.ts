import { SCAN_TOKENS_STORAGE_KEY, storedScanTokens } from '../../../../miniapp/src/scan-login/lib/scan-tokens';
import { memoryStorage } from '../../support/memory-storage';

describe('storedScanTokens', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps a token per ticket across page loads (each load makes a new store over the same storage)', () => {
    const storage = memoryStorage();
    storedScanTokens(storage, clock).remember('t1', 'token-1', now + 120_000);
    storedScanTokens(storage, clock).remember('t2', 'token-2', now + 120_000);
    const reloaded = storedScanTokens(storage, clock);
    expect([reloaded.get('t1'), reloaded.get('t2'), reloaded.get('t3')]).toEqual(['token-1', 'token-2', undefined]);
  });

  it('replaces the token of a ticket scanned again, and forgets one on request', () => {
    const tokens = storedScanTokens(memoryStorage(), clock);
    tokens.remember('t1', 'old', now + 120_000);
    tokens.remember('t1', 'new', now + 120_000);
    tokens.remember('t2', 'other', now + 120_000);
    expect(tokens.get('t1')).toBe('new');
    tokens.forget('t1');
    expect([tokens.get('t1'), tokens.get('t2')]).toEqual([undefined, 'other']);
  });

  it("keeps no token past its ticket's expiry, and drops expired ones from storage at the next write", () => {
    const storage = memoryStorage();
    const tokens = storedScanTokens(storage, clock);
    tokens.remember('short', 'token-1', now + 1_000);
    tokens.remember('long', 'token-2', now + 120_000);
    now += 1_000;
    expect(tokens.get('short')).toBeUndefined();
    tokens.remember('next', 'token-3', now + 120_000);
    const stored = JSON.parse(String(storage.map.get(SCAN_TOKENS_STORAGE_KEY))) as Array<{ ticketId: string }>;
    expect(stored.map((entry) => entry.ticketId)).toEqual(['long', 'next']);
  });

  it('reads anything unreadable in storage as no tokens, and writes over it', () => {
    for (const junk of ['', 'not json', '{"t1":"token"}', '[{"ticketId":"t1"}]', 42]) {
      const storage = memoryStorage({ [SCAN_TOKENS_STORAGE_KEY]: junk });
      const tokens = storedScanTokens(storage, clock);
      expect(tokens.get('t1')).toBeUndefined();
      tokens.remember('t1', 'token', now + 1_000);
      expect(tokens.get('t1')).toBe('token');
    }
  });

  it('costs only the resume when storage fails, never the scan', () => {
    const broken = {
      get: () => {
        throw new Error('SecurityError');
      },
      set: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const tokens = storedScanTokens(broken, clock);
    expect(() => tokens.remember('t1', 'token', now + 1_000)).not.toThrow();
    expect(() => tokens.forget('t1')).not.toThrow();
    expect(tokens.get('t1')).toBeUndefined();
  });
});
