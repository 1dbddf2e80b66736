import type { RevocationStore } from '../stores/revocation-store';
import { publicUser, PublicUser, UserStore } from '../stores/user-store';
import type { TokenSigner } from './token-signer';

/**
 * The project's own sessions, for hosts that keep its JWT rather than issuing their own:
 * who a token belongs to, and logout, which revokes that one token at once (a JWT left
 * alone stays valid until it expires, 7 days by default).
 */
export class Sessions {
  constructor(
    private readonly signer: TokenSigner,
    private readonly users: UserStore,
    private readonly revoked: RevocationStore,
  ) {}

  /** The user a token belongs to; undefined for a token that is invalid, expired, revoked or orphaned. */
  async verify(token: string | undefined): Promise<PublicUser | undefined> {
    const claims = token === undefined ? undefined : this.signer.verify(token);
    if (!claims || (await this.revoked.isRevoked(claims.tokenId))) return undefined;
    const user = await this.users.findById(claims.userId);
    return user && publicUser(user);
  }

  /** Revokes the token; false when it was not a valid token to begin with. */
  async logout(token: string | undefined): Promise<boolean> {
    const claims = token === undefined ? undefined : this.signer.verify(token);
    if (!claims) return false;
    await this.revoked.revoke(claims.tokenId, claims.expiresAt);
    return true;
  }
}
