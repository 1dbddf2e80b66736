import { randomUUID } from 'node:crypto';
import type { RefreshLock } from '../wechat/refresh-lock';
import { luaScript, type RedisConnection } from './redis-connection';

// Deletes the key only if this owner still holds it: a plain DEL after the lock lapsed
// would free the lock of whoever took it next.
const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** `SET key owner NX PX ttl`: the one-refresher lock of DESIGN.md's scale-out, on the shared Redis. */
export class RedisRefreshLock implements RefreshLock {
  constructor(private readonly redis: RedisConnection) {}

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomUUID();
    const set = await this.redis.call((client) => client.set(this.key(key), owner, { NX: true, PX: ttlMs }));
    return set === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.redis.run(RELEASE, [this.key(key)], [owner]);
  }

  private key(key: string): string {
    return `${this.redis.prefix}lock:${key}`;
  }
}
