import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, ConfigError, int, logLevel, parseEnv, url } from './env-values';
import { oidcClients, type OidcClientConfig } from './oidc-clients';

export { ConfigError };

/**
 * Runtime configuration: read from the environment once, validated, then passed down.
 * Nothing else reads process.env. Every option is in README's configuration table.
 */
export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  host: string;
  /** Where browsers and phones reach this server, no trailing slash; default http://localhost:<port>. */
  publicUrl?: string;
  dataDir: string;
  ticketTtlSeconds: number;
  /** How long a finished ticket is kept so late callers hear "expired"/"used", not "not found". */
  ticketRetainSeconds: number;
  /** After the token's first delivery, how long the secret holder gets the same token again (0: strictly once). */
  tokenRedeliverySeconds: number;
  jwt: { secret?: string; ttlSeconds: number };
  wechat: WeChatConfig;
  /** Shared tickets and push bus; with it, DATABASE_URL shares the users. */
  redisUrl?: string;
  redisKeyPrefix: string;
  databaseUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How many reverse proxies stand in front (0: none); the client IP is what the nearest of them saw. */
  trustProxy: number;
  limits: LimitsConfig;
  siteName: string;
  /** Exact origins whose pages may use the login API cross-origin. */
  corsOrigins: string[];
  shutdownTimeoutMs: number;
  /** Relying parties of the OpenID Connect provider at /oidc; none: no provider. */
  oidcClients?: OidcClientConfig[];
  /** Where /metrics answers: neither set, nowhere (404). */
  metrics: MetricsConfig;
}

export interface MetricsConfig {
  /** `/metrics` on the main port, only for `Authorization: Bearer <token>`; also asked on `port` when set. */
  token?: string;
  /** A listener of its own serving only /metrics, for a scraper on a private network. */
  port?: number;
  host: string;
}

/** Limits that protect the server and WeChat's quota. 0 lifts a limit (tests, benchmarks). */
export interface LimitsConfig {
  /** Tickets one IP may create a minute. */
  ticketsPerMinute: number;
  /** Scans, confirms and cancels one IP may make a minute: a budget apart, so a busy NAT's phones are not locked out by its browsers. */
  phoneRequestsPerMinute: number;
  /** Code images one IP may have fetched from WeChat a minute (cache hits are free). */
  codeImagesPerMinutePerIp: number;
  /** Code images the whole app may fetch from WeChat a minute; WeChat allows 5,000. */
  wechatCodeFetchesPerMinute: number;
  maxLiveTicketsPerIp: number;
  maxLiveTickets: number;
  wsSubscribeTimeoutMs: number;
  wsMaxConnectionsPerIp: number;
  wsPingIntervalMs: number;
}

/** The limits' defaults, for the environment (standalone) and the library's options alike. */
/** Starts every Redis key and channel of a deployment (`REDIS_KEY_PREFIX`, the library's `redisKeyPrefix`). */
export const redisKeyPrefix = z
  .string()
  .regex(/^[\w.:-]{1,64}$/, 'must be 1–64 letters, digits or . _ : -')
  .default('mp-scan-login:');

export const DEFAULT_LIMITS: LimitsConfig = {
  ticketsPerMinute: 600,
  phoneRequestsPerMinute: 300,
  codeImagesPerMinutePerIp: 60,
  wechatCodeFetchesPerMinute: 3000,
  maxLiveTicketsPerIp: 50,
  maxLiveTickets: 50_000,
  wsSubscribeTimeoutMs: 10_000,
  wsMaxConnectionsPerIp: 200,
  wsPingIntervalMs: 30_000,
};

export interface WeChatConfig {
  /** `simulator` until a real appid and secret are configured. */
  mode: 'simulator' | 'real';
  appid?: string;
  secret?: string;
  /** In simulator mode, unset: the embedded simulator on our own /__wechat__; set: a shared one (npm run simulator). */
  apiBase?: string;
  envVersion: 'release' | 'trial' | 'develop';
  checkPath: boolean;
  page: string;
  codeWidth: number;
  timeoutMs: number;
  /** The simulator's WeChat quotas (45009/45011); benchmarks turn them off. */
  simulatorQuotas: boolean;
  /** Whether the simulator's fault injection (/__wechat__/sim/faults) is mounted: never in production. */
  simulatorFaults: boolean;
}

// `true` is one proxy, as most deployments have; a count says exactly how many hops to trust.
const hops = z
  .string()
  .regex(/^(true|false|[0-9]|10)$/, 'must be false, true (one proxy) or the number of proxies in front (0-10)')
  .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)));

const schema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: url.optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    TICKET_TTL_SECONDS: int(1, 3600).default(120),
    TICKET_RETAIN_SECONDS: int(0, 86400).default(600),
    TOKEN_REDELIVERY_SECONDS: int(0, 3600).default(60),
    JWT_SECRET: z.string().min(1).optional(),
    JWT_TTL_SECONDS: int(60, 90 * 86400).default(7 * 86400),
    WECHAT_APPID: z.string().regex(/^wx[0-9a-f]{16}$/, 'must look like wx followed by 16 hex digits').optional(),
    WECHAT_SECRET: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits (the AppSecret)').optional(),
    WECHAT_API_BASE: url.optional(),
    WECHAT_ENV_VERSION: z.enum(['release', 'trial', 'develop']).default('release'),
    WECHAT_CHECK_PATH: bool.optional(),
    WECHAT_PAGE: z
      .string()
      .regex(/^[A-Za-z0-9_\-/]+$/, 'must be a page path like pages/confirm/index, without a leading / or query')
      .refine((p) => !p.startsWith('/'), 'must not start with /')
      .default('pages/confirm/index'),
    WECHAT_CODE_WIDTH: int(280, 1280).default(430),
    WECHAT_TIMEOUT_MS: int(100, 60_000).default(5000),
    WECHAT_SIMULATOR_QUOTAS: bool.default(true),
    WECHAT_SIMULATOR: bool.optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: redisKeyPrefix,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    LOG_LEVEL: logLevel,
    TRUST_PROXY: hops.default(0),
    RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(DEFAULT_LIMITS.ticketsPerMinute),
    PHONE_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(DEFAULT_LIMITS.phoneRequestsPerMinute),
    CODE_IMAGES_PER_MINUTE_PER_IP: int(0, 1_000_000).default(DEFAULT_LIMITS.codeImagesPerMinutePerIp),
    WECHAT_CODE_FETCHES_PER_MINUTE: int(0, 1_000_000).default(DEFAULT_LIMITS.wechatCodeFetchesPerMinute),
    MAX_LIVE_TICKETS_PER_IP: int(0, 1_000_000).default(DEFAULT_LIMITS.maxLiveTicketsPerIp),
    MAX_LIVE_TICKETS: int(0, 10_000_000).default(DEFAULT_LIMITS.maxLiveTickets),
    WS_SUBSCRIBE_TIMEOUT_MS: int(0, 600_000).default(DEFAULT_LIMITS.wsSubscribeTimeoutMs),
    WS_MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).default(DEFAULT_LIMITS.wsMaxConnectionsPerIp),
    WS_PING_INTERVAL_MS: int(100, 600_000).default(DEFAULT_LIMITS.wsPingIntervalMs),
    SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
    SITE_NAME: z.string().min(1).max(64).default('mp-scan-login'),
    CORS_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((origin) => origin.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s?#]+$/, 'must list exact origins like https://blog.example.com, comma-separated')))
      .default([]),
    OIDC_CLIENTS: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {client_id, client_secret?, redirect_uris, …}' });
          return z.NEVER;
        }
      })
      .pipe(oidcClients)
      .optional(),
    METRICS_TOKEN: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)')
      .regex(/^\S+$/, 'must not contain spaces: it is sent as `Authorization: Bearer <token>`')
      .optional(),
    METRICS_PORT: int(0, 65535).optional(),
    METRICS_HOST: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const halfSet = Boolean(env.WECHAT_APPID) !== Boolean(env.WECHAT_SECRET);
    const credentials = Boolean(env.WECHAT_APPID && env.WECHAT_SECRET);
    if (halfSet) {
      ctx.addIssue({
        code: 'custom',
        path: [env.WECHAT_APPID ? 'WECHAT_SECRET' : 'WECHAT_APPID'],
        message: 'set both WECHAT_APPID and WECHAT_SECRET for real WeChat, or neither for the simulator',
      });
    }
    if (env.WECHAT_SIMULATOR === true && credentials) {
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_SIMULATOR'],
        message: 'is true while WECHAT_APPID and WECHAT_SECRET are set: unset one or the other',
      });
    }
    // Fail closed: a production deploy that forgot its credentials must not quietly hand
    // out sessions to anyone who asks the simulator for a login.
    const simulatorRefused =
      env.WECHAT_SIMULATOR === false || (env.NODE_ENV === 'production' && env.WECHAT_SIMULATOR !== true);
    if (!credentials && !halfSet && simulatorRefused) {
      const where = env.NODE_ENV === 'production' ? 'in production' : 'when WECHAT_SIMULATOR=false';
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_APPID'],
        message: `and WECHAT_SECRET are required ${where}: set both to your mini-program's credentials, or set WECHAT_SIMULATOR=true to run the simulator as a public demo`,
      });
    }
    // Instances that shared tickets but not users would each make their own user of one
    // WeChat account, and the token of one would be refused by the others.
    if (env.REDIS_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required with REDIS_URL: instances must share their users' });
    }
    // The issuer is in every token a relying party keeps: it must be the https URL they reach.
    if (env.OIDC_CLIENTS && env.NODE_ENV === 'production' && !env.PUBLIC_URL?.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be an https URL in production when OIDC_CLIENTS is set: the issuer is ${PUBLIC_URL}/oidc',
      });
    }
    if (env.METRICS_HOST !== undefined && env.METRICS_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_HOST'], message: 'is set without METRICS_PORT, which it is the interface of' });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT: it is a listener of its own' });
    }
    // A short or missing secret in production lets anyone forge tokens for any user.
    if (env.NODE_ENV === 'production' && (env.JWT_SECRET?.length ?? 0) < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production and must be at least 32 characters (e.g. `openssl rand -base64 48`)',
      });
    }
  });

/**
 * Every limit that protects the server, lifted: for tests and benchmarks whose clients
 * all come from 127.0.0.1, where one address's budget would be the whole run's.
 */
export const LIFTED_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '0',
  PHONE_RATE_LIMIT_PER_MINUTE: '0',
  CODE_IMAGES_PER_MINUTE_PER_IP: '0',
  WECHAT_CODE_FETCHES_PER_MINUTE: '0',
  MAX_LIVE_TICKETS_PER_IP: '0',
  MAX_LIVE_TICKETS: '0',
  WS_MAX_CONNECTIONS_PER_IP: '0',
} as const;

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(schema, env);
  const real = Boolean(e.WECHAT_APPID && e.WECHAT_SECRET);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir: resolve(e.DATA_DIR),
    ticketTtlSeconds: e.TICKET_TTL_SECONDS,
    ticketRetainSeconds: e.TICKET_RETAIN_SECONDS,
    tokenRedeliverySeconds: e.TOKEN_REDELIVERY_SECONDS,
    jwt: { secret: e.JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS },
    wechat: {
      mode: real ? 'real' : 'simulator',
      appid: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
      apiBase: e.WECHAT_API_BASE ?? (real ? 'https://api.weixin.qq.com' : undefined),
      envVersion: e.WECHAT_ENV_VERSION,
      // Trial and develop builds have no published pages to check against.
      checkPath: e.WECHAT_CHECK_PATH ?? e.WECHAT_ENV_VERSION === 'release',
      page: e.WECHAT_PAGE,
      codeWidth: e.WECHAT_CODE_WIDTH,
      timeoutMs: e.WECHAT_TIMEOUT_MS,
      simulatorQuotas: e.WECHAT_SIMULATOR_QUOTAS,
      simulatorFaults: e.NODE_ENV !== 'production',
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    limits: {
      ticketsPerMinute: e.RATE_LIMIT_PER_MINUTE,
      phoneRequestsPerMinute: e.PHONE_RATE_LIMIT_PER_MINUTE,
      codeImagesPerMinutePerIp: e.CODE_IMAGES_PER_MINUTE_PER_IP,
      wechatCodeFetchesPerMinute: e.WECHAT_CODE_FETCHES_PER_MINUTE,
      maxLiveTicketsPerIp: e.MAX_LIVE_TICKETS_PER_IP,
      maxLiveTickets: e.MAX_LIVE_TICKETS,
      wsSubscribeTimeoutMs: e.WS_SUBSCRIBE_TIMEOUT_MS,
      wsMaxConnectionsPerIp: e.WS_MAX_CONNECTIONS_PER_IP,
      wsPingIntervalMs: e.WS_PING_INTERVAL_MS,
    },
    siteName: e.SITE_NAME,
    corsOrigins: e.CORS_ORIGINS,
    oidcClients: e.OIDC_CLIENTS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // Loopback unless asked: the process metrics are nobody else's business.
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1' },
  };
}
