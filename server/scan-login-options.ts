import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DEFAULT_LIMITS, redisKeyPrefix, type LimitsConfig } from '../config/config';
import { oidcClients, type OidcClientInput } from '../config/oidc-clients';
import type { Clock } from './core/clock';
import type { RequesterView } from './http/requester-view';
import type { PublicUser } from './stores/user-store';

/** What `onLogin` is told about a confirmed login. */
export interface Login {
  user: PublicUser;
  /** The user's openid for this mini-program: the host's key for the WeChat account. */
  openid: string;
  /** Present when the mini-program is bound to an Open Platform account. */
  unionid?: string;
  ticketId: string;
  /** The browser that asked for the code, as the phone showed it. */
  requester: RequesterView;
}

/** The options of `createScanLogin`. Only `prefix`, `publicUrl`, `dataDir`, `wechat` and `onLogin` are usual. */
export interface ScanLoginOptions {
  /** Where the HTTP routes and the ws live, e.g. '/auth/wechat'. Default '/api/login'. */
  prefix?: string;
  /** Where browsers and phones reach the host, e.g. 'https://example.com'; no trailing slash needed. */
  publicUrl?: string;
  /** The embedded SQLite file lives here. Default './data'. */
  dataDir?: string;
  /**
   * Several instances: tickets, the push bus and the OpenID provider's storage in this
   * Redis (`redis://host:6379/7`, its database honoured), every key under `redisKeyPrefix`
   * (default 'mp-scan-login:'). Needs `databaseUrl`, so that the instances share their
   * users (and the provider's keys) too.
   */
  redisUrl?: string;
  redisKeyPrefix?: string;
  /** Users, logins, logged-out tokens, the WeChat access token and the OpenID provider's keys in PostgreSQL. */
  databaseUrl?: string;
  /** The mini-program's credentials. Omitted: the embedded simulator, which production refuses unless `simulator: true`. */
  wechat?: {
    appid: string;
    secret: string;
    /** Default https://api.weixin.qq.com */
    apiBase?: string;
    envVersion?: 'release' | 'trial' | 'develop';
    checkPath?: boolean;
    /** The page a code opens. Default 'pages/confirm/index'. */
    page?: string;
    codeWidth?: number;
    timeoutMs?: number;
  };
  /**
   * Run the simulator on purpose (a public demo in production), or tune it: its WeChat
   * quotas (default on) and fault injection (tests; never mounted in production). With `url`
   * (`http://…/__wechat__` of `npm run simulator`) no simulator is embedded: every instance
   * shares that one, as real instances share WeChat; quotas and faults are then its own.
   */
  simulator?: boolean | { quotas?: boolean; faults?: boolean; url?: string };
  /** Whatever it returns is the waiting page's `token`. Default: the project's own JWT. */
  onLogin?: (login: Login) => string | Promise<string>;
  /** The project's JWT. `secret` is required in production unless `onLogin` issues the tokens. */
  jwt?: { secret?: string; ttlSeconds?: number };
  ticketTtlSeconds?: number;
  ticketRetainSeconds?: number;
  tokenRedeliverySeconds?: number;
  /** How many reverse proxies stand in front (`true` is one). Default none. */
  trustProxy?: boolean | number;
  limits?: Partial<LimitsConfig>;
  /** The name the phone shows ("Log in to …"). */
  siteName?: string;
  /** Exact origins (`https://blog.example.com`) whose pages may call the API cross-origin. */
  corsOrigins?: string[];
  /**
   * Also be an OpenID Connect provider at `${publicUrl}/oidc` for these relying parties
   * (`OIDC_CLIENTS`' entries); needs `publicUrl`, on https in production.
   */
  oidc?: { clients: OidcClientInput[] };
  /** Default: NODE_ENV === 'production'. */
  production?: boolean;
  logger?: Logger;
  clock?: Clock;
}

export class ScanLoginOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid createScanLogin options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScanLoginOptionsError';
  }
}

const count = (min: number, max: number) => z.number().int().min(min).max(max);
const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z
  .object({
    prefix: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~-]+)+$/, "must be a path like '/auth/wechat': a leading /, no trailing /, no query")
      .default('/api/login'),
    publicUrl: httpUrl.optional(),
    dataDir: z.string().min(1).default('./data'),
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    redisKeyPrefix,
    databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    wechat: z
      .object({
        appid: z.string().regex(/^wx[0-9a-f]{16}$/, 'must look like wx followed by 16 hex digits'),
        secret: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits (the AppSecret)'),
        apiBase: httpUrl.optional(),
        envVersion: z.enum(['release', 'trial', 'develop']).optional(),
        checkPath: z.boolean().optional(),
        page: z.string().regex(/^[A-Za-z0-9_\-]+(\/[A-Za-z0-9_\-]+)*$/, 'must be a page path like pages/confirm/index').optional(),
        codeWidth: count(280, 1280).optional(),
        timeoutMs: count(100, 60_000).optional(),
      })
      .optional(),
    simulator: z
      .union([
        z.boolean(),
        z.strictObject({ quotas: z.boolean().optional(), faults: z.boolean().optional(), url: httpUrl.optional() }),
      ])
      .optional(),
    onLogin: z.custom<ScanLoginOptions['onLogin']>((v) => typeof v === 'function', 'must be a function').optional(),
    jwt: z.object({ secret: z.string().min(1).optional(), ttlSeconds: count(60, 90 * 86400).optional() }).optional(),
    ticketTtlSeconds: count(1, 3600).default(120),
    ticketRetainSeconds: count(0, 86400).default(600),
    tokenRedeliverySeconds: count(0, 3600).default(60),
    trustProxy: z.union([z.boolean(), count(0, 10)]).default(0),
    limits: z.record(z.string(), count(0, 10_000_000)).optional(),
    siteName: z.string().min(1).max(64).default('mp-scan-login'),
    corsOrigins: z
      .array(z.string().regex(/^https?:\/\/[^/\s?#]+$/, 'must be an exact origin like https://blog.example.com'))
      .default([]),
    production: z.boolean().optional(),
    oidc: z.object({ clients: oidcClients }).strict().optional(),
    logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null, 'must be a pino logger').optional(),
    clock: z.custom<Clock>((v) => typeof (v as Clock | undefined)?.now === 'function', 'must have now()').optional(),
  })
  // A misspelt option (`prefx`) would otherwise be ignored and its default used in silence.
  .strict();


export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Validates the options once, naming every problem, and fills in the defaults. */
export function resolveOptions(options: ScanLoginOptions) {
  const parsed = schema.safeParse(options);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} ${i.message}` : i.message));
  const o = parsed.success ? parsed.data : undefined;
  const production = options.production ?? process.env.NODE_ENV === 'production';
  for (const name of Object.keys(options.limits ?? {})) {
    if (!(name in DEFAULT_LIMITS)) problems.push(`limits.${name} is not a limit (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
  }
  if (o && o.wechat && o.simulator) problems.push('simulator is true while wechat credentials are given: choose one');
  // Fail closed: a production host that forgot its credentials must not hand out logins to
  // anyone who asks the simulator for one.
  if (o && !o.wechat && production && !o.simulator) {
    problems.push('wechat { appid, secret } is required in production; pass simulator: true only for a public demo');
  }
  if (o && production && !o.onLogin && (o.jwt?.secret?.length ?? 0) < 32) {
    problems.push('jwt.secret (at least 32 characters) is required in production unless onLogin issues the tokens');
  }
  // The issuer is in every token a relying party keeps: it cannot follow whatever port we got.
  if (o?.oidc && !o.publicUrl) problems.push('publicUrl is required with oidc: the issuer is `${publicUrl}/oidc`');
  if (o?.oidc && production && !o.publicUrl?.startsWith('https://')) problems.push('publicUrl must be https in production with oidc');
  // Instances that shared tickets but not users would each make their own user of one
  // WeChat account, and a token of one would be refused by the others.
  if (o?.redisUrl && !o.databaseUrl) problems.push('databaseUrl is required with redisUrl: instances must share their users');
  if (!o || problems.length > 0) throw new ScanLoginOptionsError(problems);
  const wechat = o.wechat;
  const simulator = typeof o.simulator === 'object' ? o.simulator : {};
  const envVersion = wechat?.envVersion ?? 'release';
  return {
    prefix: o.prefix,
    publicUrl: o.publicUrl?.replace(/\/+$/, ''),
    dataDir: resolve(o.dataDir),
    redis: o.redisUrl ? { url: o.redisUrl, prefix: o.redisKeyPrefix } : undefined,
    databaseUrl: o.databaseUrl,
    production,
    onLogin: o.onLogin,
    jwt: { secret: o.jwt?.secret, ttlSeconds: o.jwt?.ttlSeconds ?? 7 * 86400 },
    ticketTtlSeconds: o.ticketTtlSeconds,
    ticketRetainSeconds: o.ticketRetainSeconds,
    tokenRedeliverySeconds: o.tokenRedeliverySeconds,
    trustProxy: o.trustProxy === true ? 1 : o.trustProxy === false ? 0 : o.trustProxy,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    siteName: o.siteName,
    corsOrigins: o.corsOrigins,
    oidc: o.oidc,
    wechat: {
      mode: wechat ? ('real' as const) : ('simulator' as const),
      appid: wechat?.appid,
      secret: wechat?.secret,
      apiBase: wechat?.apiBase ?? (wechat ? 'https://api.weixin.qq.com' : simulator.url?.replace(/\/+$/, '')),
      envVersion,
      checkPath: wechat?.checkPath ?? envVersion === 'release',
      page: wechat?.page ?? 'pages/confirm/index',
      codeWidth: wechat?.codeWidth ?? 430,
      timeoutMs: wechat?.timeoutMs ?? 5000,
      simulatorQuotas: simulator.quotas ?? true,
      simulatorFaults: !production && (simulator.faults ?? true),
    },
  };
}
