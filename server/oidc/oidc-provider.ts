import Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { OidcClientConfig } from '../../config/oidc-clients';
import type { UserStore } from '../stores/user-store';
import { loadExistingGrant } from './grants';
import type { OidcKeys } from './oidc-keys';
import { logoutSource, postLogoutSuccessSource, renderError, storageUnavailable } from './oidc-pages';
import type { OidcAdapterClass } from './oidc-adapter';

/** Where the provider lives on the host: its issuer is `${publicUrl}${OIDC_MOUNT}`. */
export const OIDC_MOUNT = '/oidc';

export interface OidcProviderDeps {
  issuer: string;
  clients: OidcClientConfig[];
  adapter: OidcAdapterClass;
  jwks: OidcKeys['jwks'];
  cookieKeys: string[];
  users: UserStore;
  trustProxy: boolean;
  log: Logger;
}

/**
 * panva's oidc-provider, configured for scan login: authorization code with PKCE (required
 * of public clients), scopes `openid` and `profile` (plus `offline_access` for refresh
 * tokens), ID tokens signed RS256 with the key kept in DATA_DIR (or PostgreSQL), the scan
 * page as the only interaction, and pages of our own instead of its defaults.
 */
export function createOidcProvider(deps: OidcProviderDeps): Provider {
  const firstParty = new Set(deps.clients.filter((c) => c.first_party).map((c) => c.client_id));
  const provider = new Provider(deps.issuer, {
    adapter: deps.adapter,
    clients: deps.clients.map((c) => ({
      client_id: c.client_id,
      client_name: c.client_name ?? c.client_id,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A client without a secret is public: it cannot authenticate, so PKCE proves it.
      ...(c.client_secret
        ? { client_secret: c.client_secret, token_endpoint_auth_method: 'client_secret_basic' }
        : { token_endpoint_auth_method: 'none' }),
    })),
    // The code flow only: implicit and hybrid hand tokens to the browser's address bar.
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    jwks: deps.jwks as never,
    cookies: { keys: deps.cookieKeys },
    claims: { openid: ['sub'], profile: ['nickname', 'picture'] },
    scopes: ['openid', 'profile', 'offline_access'],
    // The profile claims go into the ID token too: many relying parties read only that.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_MOUNT}/interaction/${interaction.uid}` },
    loadExistingGrant: loadExistingGrant((clientId) => firstParty.has(clientId)),
    async findAccount(_ctx, sub) {
      const user = await deps.users.findById(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        // `sub` is the user's id here, never the openid: the openid is the mini-program's
        // key for the WeChat account and would let sites correlate users across apps.
        claims: async () => ({ sub: user.id, nickname: user.nickname ?? undefined, picture: user.avatarUrl ?? undefined }),
      };
    },
    renderError,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 14 * 86400,
      Grant: 14 * 86400,
      RefreshToken: 14 * 86400,
    },
  });
  provider.proxy = deps.trustProxy;
  provider.on('server_error', (ctx, error) => {
    // A store outage is logged where the store reports it; here it is one line, no stack.
    if (storageUnavailable(ctx, error)) deps.log.warn({ path: ctx.path }, 'oidc provider storage unavailable: answered 503');
    else deps.log.error({ err: error }, 'oidc provider error');
  });
  return provider;
}
