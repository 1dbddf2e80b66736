import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { OidcClientConfig } from '../../config/oidc-clients';
import type { Clock } from '../core/clock';
import type { LoginService } from '../core/login-service';
import type { TicketCreation } from '../http/ticket-routes';
import type { RateBudget } from '../limits/rate-budget';
import type { StoreSet } from '../stores/store-set';
import type { UserStore } from '../stores/user-store';
import { interactionRoutes } from './interaction-routes';
import { resolveOidcKeys } from './oidc-keys';
import { oidcPage } from './oidc-page';
import { createOidcProvider, OIDC_MOUNT } from './oidc-provider';
import { resolvePostgresOidcKeys } from './postgres-oidc-keys';
import { redisOidcAdapter } from './redis-oidc-adapter';
import { sqliteOidcAdapter } from './sqlite-oidc-adapter';

export interface OidcMountDeps {
  publicUrl: string;
  clients: OidcClientConfig[];
  dataDir: string;
  /** Where the provider's models and keys go: see oidcStorage. */
  stores: Pick<StoreSet, 'db' | 'redis' | 'postgres'>;
  clock: Clock;
  users: UserStore;
  service: LoginService;
  createTicket: TicketCreation;
  ticketBudget: RateBudget;
  loginPrefix: string;
  trustProxy: boolean;
  log: Logger;
}

/** The provider at /oidc as the library mounts it: our interaction routes and page assets, the provider's own endpoints. */
export interface OidcMount {
  issuer: string;
  /** The interaction's JSON and page, run in the library's chain (its JSON errors). */
  routers: Router[];
  /** The page's built assets under /oidc/assets/. */
  assets: Middleware;
  /** Every path under /oidc. */
  owns(path: string): boolean;
  /** True for the paths the provider itself answers (discovery, auth, token, …). */
  ownsProviderPath(path: string): boolean;
  isAsset(path: string): boolean;
  /** Hands the request to oidc-provider, which answers it on the raw response. */
  handle(ctx: Context): Promise<void>;
}

/**
 * The provider's models in Redis and its keys in PostgreSQL when the instances share
 * those, so any instance can serve any step of an authorization; else the embedded SQLite
 * file and DATA_DIR.
 */
async function oidcStorage({ stores, dataDir, clock, log }: OidcMountDeps) {
  return {
    adapter: stores.redis ? redisOidcAdapter(stores.redis, clock) : sqliteOidcAdapter(stores.db, clock),
    keys: stores.postgres ? await resolvePostgresOidcKeys(stores.postgres, { dataDir }, log) : resolveOidcKeys({ dataDir }, log),
  };
}

export async function mountOidc(deps: OidcMountDeps): Promise<OidcMount> {
  const issuer = `${deps.publicUrl}${OIDC_MOUNT}`;
  const { adapter, keys } = await oidcStorage(deps);
  const provider = createOidcProvider({
    issuer,
    clients: deps.clients,
    adapter,
    jwks: keys.jwks,
    cookieKeys: keys.cookieKeys,
    users: deps.users,
    trustProxy: deps.trustProxy,
    log: deps.log,
  });
  const page = oidcPage();
  const interactions = interactionRoutes({ provider, page, ...deps });
  const callback = provider.callback();
  const owns = (path: string) => path === OIDC_MOUNT || path.startsWith(`${OIDC_MOUNT}/`);
  const isAsset = (path: string) => path.startsWith(`${OIDC_MOUNT}/assets/`);
  const ours = (path: string) => path.startsWith(`${OIDC_MOUNT}/interaction/`) || isAsset(path);
  return {
    issuer,
    routers: [interactions],
    owns,
    isAsset,
    ownsProviderPath: (path) => owns(path) && !ours(path),
    assets: page.assets,
    async handle(ctx) {
      // The provider is a Koa app of its own: it answers on the raw response, and finds
      // its mount path from `originalUrl` minus the path it is given.
      ctx.respond = false;
      const { req, res } = ctx;
      const url = req.url!;
      (req as { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(OIDC_MOUNT.length) || '/';
      try {
        await callback(req, res);
      } finally {
        // The host's request log reads the path afterwards.
        req.url = url;
      }
    },
  };
}
