import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import { memoryLimiters, type LimiterFactory } from '../limits/rate-budget';
import { InProcessBus } from '../push/in-process-bus';
import { RedisBus } from '../push/redis-bus';
import type { AccessTokenStore } from '../wechat/access-token-store';
import type { RefreshLock } from '../wechat/refresh-lock';
import { PostgresAccessTokenStore } from './postgres-access-token-store';
import { openPostgres } from './postgres-database';
import { PostgresRevocationStore } from './postgres-revocation-store';
import { PostgresUserStore } from './postgres-user-store';
import { RedisConnection } from './redis-connection';
import { redisLimiters } from './redis-limiters';
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
}

/** Every store the library uses, chosen by URL: SQLite and in-process unless Redis / PostgreSQL are given. */
export interface StoreSet {
  tickets: TicketStore;
  users: UserStore;
  revocations: RevocationStore;
  accessTokens: AccessTokenStore;
  /** Across instances (Redis); none for one instance, whose single flight suffices. */
  refreshLock?: RefreshLock;
  /** Where rate budgets count: Redis across instances, else this process. */
  limiters: LimiterFactory;
  bus: EventBus;
  /** The embedded file: the OpenID provider's storage (single instance) lives there. */
  db: SqliteDatabase;
  close(): Promise<void>;
}

export async function openStores({ dataDir, redis, databaseUrl, clock, log }: StoreOptions): Promise<StoreSet> {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  const closers: (() => Promise<void>)[] = [
    async () => {
      db.close();
    },
  ];
  try {
    const pool = databaseUrl ? await openPostgres({ url: databaseUrl, log }) : undefined;
    if (pool) closers.unshift(() => pool.end());
    const shared = redis ? await openRedis(redis, clock, log) : undefined;
    if (shared) closers.unshift(shared.close);
    const set: StoreSet = {
      tickets: shared?.tickets ?? new SqliteTicketStore(db, clock),
      users: pool ? new PostgresUserStore(pool) : new SqliteUserStore(db),
      revocations: pool ? new PostgresRevocationStore(pool, clock) : new SqliteRevocationStore(db, clock),
      accessTokens: pool ? new PostgresAccessTokenStore(pool) : new SqliteAccessTokenStore(db),
      refreshLock: shared?.refreshLock,
      limiters: shared?.limiters ?? memoryLimiters,
      bus: shared?.bus ?? new InProcessBus(),
      db,
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
async function openRedis(options: { url: string; prefix: string }, clock: Clock, log: Logger) {
  const connection = await RedisConnection.open({ ...options, log });
  const subscriber = connection.client.duplicate();
  // A client without an error listener would crash the process on a lost connection.
  subscriber.on('error', (error: Error) => log.warn({ err: { message: error.message } }, 'redis subscriber error'));
  try {
    await subscriber.connect();
    const bus = await RedisBus.start(connection.client, subscriber, options.prefix, log);
    return {
      tickets: new RedisTicketStore(connection, clock),
      refreshLock: new RedisRefreshLock(connection),
      limiters: redisLimiters(connection),
      bus,
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
