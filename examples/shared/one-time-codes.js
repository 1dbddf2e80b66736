// The recommended way to hand a login to the host's own sessions: `onLogin` returns a
// one-time code instead of a long-lived token, and the page posts it to the host, which
// redeems it once for its own cookie. The code is what travels through the login server
// and the page's JavaScript, so it is random (256 bits), short-lived and single use: a
// copy seen later (a log, a browser extension) is worth nothing.
//
// In memory, so one process only: with several instances keep the codes where the
// sessions live (your database, Redis) and redeem with one atomic delete.
const { randomBytes } = require('node:crypto');

class OneTimeCodes {
  constructor({ ttlSeconds = 60 } = {}) {
    this.ttlMs = ttlSeconds * 1000;
    this.codes = new Map();
  }

  /** A fresh code standing for `value` until it is redeemed or expires. */
  issue(value) {
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { value, expiresAt: Date.now() + this.ttlMs });
    return code;
  }

  /** The value, once; undefined for an unknown, spent or expired code. */
  redeem(code) {
    if (typeof code !== 'string') return undefined;
    const entry = this.codes.get(code);
    // Deleted before anything else can run: two concurrent redeems cannot both win.
    this.codes.delete(code);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  sweep() {
    const now = Date.now();
    for (const [code, entry] of this.codes) if (entry.expiresAt <= now) this.codes.delete(code);
  }
}

module.exports = { OneTimeCodes };
