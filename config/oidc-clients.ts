import { z } from 'zod';

const uri = z.url({ protocol: /^https?$/ });

/**
 * One relying party of `OIDC_CLIENTS` (DESIGN.md, "OpenID Connect provider"). Without a
 * secret the client is public (a SPA, a mobile app) and must use PKCE. `client_name` is
 * what the login page and the phone call the site; `first_party: false` makes the user
 * consent before the site learns who they are (default: the operator listed it, so it is
 * trusted, and the user only confirms the login on the phone).
 */
export const oidcClient = z
  .object({
    client_id: z.string().regex(/^[\w.:-]{1,128}$/, 'must be 1–128 letters, digits or . _ : -'),
    client_secret: z.string().min(1).max(512).optional(),
    redirect_uris: z.array(uri).min(1, 'must list at least one redirect URI'),
    post_logout_redirect_uris: z.array(uri).optional(),
    client_name: z.string().min(1).max(64).optional(),
    first_party: z.boolean().default(true),
  })
  .strict();

export type OidcClientConfig = z.output<typeof oidcClient>;
export type OidcClientInput = z.input<typeof oidcClient>;

export const oidcClients = z
  .array(oidcClient)
  .min(1, 'must list at least one client')
  .refine((clients) => new Set(clients.map((c) => c.client_id)).size === clients.length, 'client_id values must be unique');
