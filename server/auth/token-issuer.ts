import type { LoginGranted } from '../core/login-service';
import { cryptoRandom, newSecret } from '../core/random';
import { requesterView } from '../http/requester-view';
import type { Login } from '../scan-login-options';
import type { JwtSigner } from './token-signer';

const MAX_HOST_TOKEN_LENGTH = 4096;

/**
 * What the waiting page receives as `token` for a confirmed login: the host's own
 * (`onLogin`, e.g. a one-time code), else the project's JWT. A relying party's ticket
 * yields no session here: its token only finishes that interaction, once
 * (`LoginService.redeem`), and names its ticket so it can be found.
 */
export function tokenIssuer(signer: JwtSigner, onLogin?: (login: Login) => string | Promise<string>) {
  return async (login: LoginGranted): Promise<string> => {
    const { ticket, user, openid, unionid } = login;
    if (ticket.relyingParty) return `${ticket.id}.${newSecret(cryptoRandom)}`;
    if (!onLogin) return signer.sign(user.id);
    const token = await onLogin({ user, openid, unionid, ticketId: ticket.id, requester: requesterView(ticket) });
    if (typeof token !== 'string' || token === '' || token.length > MAX_HOST_TOKEN_LENGTH) {
      throw new TypeError(`onLogin must return a non-empty string of at most ${MAX_HOST_TOKEN_LENGTH} characters`);
    }
    return token;
  };
}
