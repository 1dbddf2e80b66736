import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import { memoryLiveTickets, type LiveTicketFactory } from '../limits/live-tickets';
import { memoryLimiters, type LimiterFactory } from '../limits/rate-budget';
import type { Metrics } from '../metrics/metrics';
import { InProcessBus } from '../push/in-process-bus';
import { RedisBus } from '../push/redis-bus';
import type { AccessTokenStore } from '../wechat/access-token-store';
import type { CodeImageStore } from '../wechat/code-image-store';
import type { RefreshLock } from '../wechat/refresh-lock';
import { PostgresAccessTokenStore } from './postgres-access-token-store';
import { openPostgres } from './postgres-database';
import { timeQueries } from './postgres-query';
import { PostgresRevocationStore } from './postgres-revocation-store';
import { PostgresUserStore } from './postgres-user-store';
import { RedisCodeImageStore } from './redis-code-image-store';
import { RedisConnection } from './redis-connection';
import { redisLimiters } from './redis-limiters';
import { RedisLiveTickets } from './redis-live-tickets';
import { RedisRefreshLock } from './redis-refresh-lock';
import { RedisTicketStore } from './redis-ticket-store';
import type { RevocationStore } from './revocation-store';
import { openSqlite, type SqliteDatabase } from './sqlite-database';
import { SqliteAccessTokenStore } from './sqlite-access-token-store';
import { SqliteRevocationStore } from './sqlite-revocation-store';
import { SqliteTicketStore } from './sqlite-ticket-store';
import { SqliteUserStore } from './sqlite-user-store';
import type { TicketStore } from './ticket-store';
import type { UserStore } from './user-store';

export const DATABASE_FILE = 'mp-scan-login.db';

export interface StoreOptions {
  dataDir: string;
  /** Shared tickets and push bus, for several instances. */
  redis?: { url: string; prefix: string };
  /** Shared users, logins, logged-out tokens and the WeChat access token. */
  databaseUrl?: string;
  clock: Clock;
  log: Logger;
  /** Where the shared stores' call durations go; none by default. */
  metrics?: Metrics;
}

/** Every store the library uses, chosen by URL: SQLite and in-process unless Redis / PostgreSQL are given. */
export interface StoreSet {
  tickets: TicketStore;
  users: UserStore;
  revocations: RevocationStore;
  accessTokens: AccessTokenStore;
  /** Across instances (Redis); none for one instance, whose single flight suffices. */
  refreshLock?: RefreshLock;
  /** Fetched code images for every instance (Redis); none for one instance, which keeps them in memory. */
  codeImages?: CodeImageStore;
  /** Where rate budgets count: Redis across instances, else this process. */
  limiters: LimiterFactory;
  /** Where the live-ticket caps count: Redis across instances, else this process. */
  liveTickets: LiveTicketFactory;
  bus: EventBus;
  /** The embedded file: the OpenID provider's storage (single instance) lives there. */
  db: SqliteDatabase;
  /** The shared Redis (REDIS_URL), for the OpenID provider's storage; the set closes it. */
  redis?: RedisConnection;
  /** The shared PostgreSQL (DATABASE_URL), for the OpenID provider's keys; the set ends it. */
  postgres?: pg.Pool;
  /** Each shared store's answer to a trivial command (none for the embedded ones): what /healthz reports. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export type StoreHealth = Partial<Record<'redis' | 'postgres', 'up' | 'down'>>;

const answers = (check: Promise<unknown>): Promise<'up' | 'down'> =>
  check.then(
    () => 'up' as const,
    () => 'down' as const,
  );

export async function openStores({ dataDir, redis, databaseUrl, clock, log, metrics }: StoreOptions): Promise<StoreSet> {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  const closers: (() => Promise<void>)[] = [
    async () => {
      db.close();
    },
  ];
  try {
    const pool = databaseUrl ? await openPostgres({ url: databaseUrl, log }) : undefined;
    if (pool) closers.unshift(() => pool.end());
    if (pool && metrics) timeQueries(pool, metrics);
    const shared = redis ? await openRedis({ ...redis, metrics }, clock, log) : undefined;
    if (shared) closers.unshift(shared.close);
    const set: StoreSet = {
      tickets: shared?.tickets ?? new SqliteTicketStore(db, clock),
      users: pool ? new PostgresUserStore(pool) : new SqliteUserStore(db),
      revocations: pool ? new PostgresRevocationStore(pool, clock) : new SqliteRevocationStore(db, clock),
      accessTokens: pool ? new PostgresAccessTokenStore(pool) : new SqliteAccessTokenStore(db),
      refreshLock: shared?.refreshLock,
      codeImages: shared?.codeImages,
      limiters: shared?.limiters ?? memoryLimiters,
      liveTickets: shared?.liveTickets ?? memoryLiveTickets(clock),
      bus: shared?.bus ?? new InProcessBus(),
      async health() {
        const [redisUp, postgresUp] = await Promise.all([
          shared && answers(shared.ping()),
          pool && answers(pool.query('SELECT 1')),
        ]);
        return { ...(redisUp && { redis: redisUp }), ...(postgresUp && { postgres: postgresUp }) };
      },
      db,
      redis: shared?.connection,
      postgres: pool,
      async close() {
        await set.tickets.close();
        await set.bus.close();
        for (const close of closers) await close();
      },
    };
    return set;
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** The ticket store and the bus on one Redis: commands on one connection, subscriptions on a second. */
async function openRedis(options: { url: string; prefix: string; metrics?: Metrics }, clock: Clock, log: Logger) {
  const connection = await RedisConnection.open({ ...options, log });
  const subscriber = connection.client.duplicate();
  // A client without an error listener would crash the process on a lost connection.
  subscriber.on('error', (error: Error) => log.warn({ err: { message: error.message } }, 'redis subscriber error'));
  try {
    await subscriber.connect();
    // Each change of status is announced by the ticket store's compare-and-set itself: the
    // write and its announcement are one step, and the page's instance hears it a round trip sooner.
    const bus = await RedisBus.start(connection.client, subscriber, options.prefix, log, { storeAnnounces: true });
    return {
      tickets: new RedisTicketStore(connection, clock, { announceChanges: true }),
      refreshLock: new RedisRefreshLock(connection),
      codeImages: new RedisCodeImageStore(connection),
      limiters: redisLimiters(connection),
      connection,
      liveTickets: (({ perKey, max, ticketTtlMs }, metrics) =>
        new RedisLiveTickets(connection, perKey, max, ticketTtlMs, clock, metrics)) satisfies LiveTicketFactory,
      bus,
      ping: () => connection.call((client) => client.ping(), 'ping'),
      async close() {
        await subscriber.close();
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
