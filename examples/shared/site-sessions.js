// The host's own accounts and cookie sessions, as any site already has them: the scan
// login only tells it who logged in (`onLogin`), and it keeps the rest. In memory here;
// yours live in your database.
const { randomBytes } = require('node:crypto');
const { OneTimeCodes } = require('./one-time-codes');

class SiteSessions {
  constructor() {
    this.codes = new OneTimeCodes({ ttlSeconds: 60 });
    this.accounts = new Map(); // openid → the host's account
    this.sessions = new Map(); // session id → openid
    // Given to createScanLogin: the host's account is keyed by openid (unionid when the
    // mini-program is bound to an Open Platform account and you have other WeChat apps).
    this.onLogin = async ({ openid, unionid, user }) => {
      this.accounts.set(openid, { openid, unionid, nickname: user.nickname });
      return this.codes.issue(openid);
    };
  }

  /** A new session id for a valid one-time code; undefined when it is unknown, spent or expired. */
  redeem(code) {
    const openid = this.codes.redeem(code);
    if (openid === undefined) return undefined;
    const sessionId = randomBytes(32).toString('base64url');
    this.sessions.set(sessionId, openid);
    return sessionId;
  }

  account(sessionId) {
    const openid = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    return openid === undefined ? undefined : this.accounts.get(openid);
  }

  end(sessionId) {
    if (sessionId !== undefined) this.sessions.delete(sessionId);
  }
}

/**
 * Why a request to redeem a code must be refused, or null. Login CSRF: another site could
 * make a visitor's browser post the attacker's own code and log the visitor into the
 * attacker's account. A JSON body cannot be sent cross-site without a CORS preflight this
 * site never grants, and a browser's `Origin` must be this site's.
 */
function redeemRefusal(contentType, origin, ownOrigin) {
  if (!/^application\/json\b/i.test(contentType ?? '')) return 'send the code as JSON';
  if (origin !== undefined && origin !== ownOrigin) return 'cross-site request';
  return null;
}

module.exports = { SiteSessions, redeemRefusal };
