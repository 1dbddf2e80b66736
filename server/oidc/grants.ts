import type { Grant, KoaContextWithOIDC, Provider } from 'oidc-provider';

/** What the consent prompt says is missing from the grant (oidc-provider's prompt details). */
export interface MissingGrant {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * Adds what the authorization asks for to the account's grant for the client, creating
 * it if needed, and saves it: what "Allow" on the consent page does, and what a
 * first-party client gets without asking.
 */
export async function grantMissing(
  provider: Provider,
  { accountId, clientId, grantId }: { accountId: string; clientId: string; grantId?: string },
  missing: MissingGrant,
): Promise<string> {
  const grant: Grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/**
 * oidc-provider's `loadExistingGrant`: the grant consent made, or for a first-party
 * client one covering what this request asks, so the user is never asked to consent to
 * the operator's own sites.
 */
export function loadExistingGrant(firstParty: (clientId: string) => boolean) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { client, session, provider } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const grantId = (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
    const existing = grantId ? await provider.Grant.find(grantId) : undefined;
    if (!firstParty(client.clientId)) return existing;
    const scopes = [...(ctx.oidc.requestParamScopes ?? [])];
    const claims = [...(ctx.oidc.requestParamClaims ?? [])];
    const saved = await grantMissing(
      provider,
      { accountId: session.accountId, clientId: client.clientId, grantId: existing?.jti },
      { missingOIDCScope: scopes, missingOIDCClaims: claims },
    );
    return provider.Grant.find(saved);
  };
}
