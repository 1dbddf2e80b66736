import type { Clock } from '../core/clock';
import { statusOf, type Ticket } from '../core/ticket';
import { ticketEventMessage, ticketEventsChannel } from '../push/redis-bus';
import { luaScript, RedisConnection } from './redis-connection';
import type { TicketStore } from './ticket-store';

// KEYS[1]: the ticket's hash. ARGV: version, retainUntil, ticket JSON, time to live (ms;
// PEXPIRE deletes at once when it is not positive, as for a retention already over),
// status. One script, so no other writer can slip between the existence check and the write.
const CREATE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'retainUntil', ARGV[2], 'ticket', ARGV[3], 'status', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`);

// KEYS[1]: the ticket's hash. ARGV: expected version, now, version, retainUntil, ticket
// JSON, time to live (ms), status, and the channel and message that announce a new status
// ('' for none). Redis runs a script whole before any other command, on every
// connection of every instance: the check and the write are one step, so of racing
// writers with the same expected version exactly one wins. A ticket past its retention
// by our clock is gone for writers too, even if Redis has not expired it yet. The
// announcement is part of the step: no instance learns of a change that did not commit,
// and none misses one because its writer died before it could tell.
const COMPARE_AND_SET = luaScript(`
local stored = redis.call('HMGET', KEYS[1], 'version', 'retainUntil', 'status')
if stored[1] ~= ARGV[1] or tonumber(stored[2]) <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'retainUntil', ARGV[4], 'ticket', ARGV[5], 'status', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if ARGV[8] ~= '' and stored[3] ~= ARGV[7] then redis.call('PUBLISH', ARGV[8], ARGV[9]) end
return 1
`);

export interface RedisTicketStoreOptions {
  /**
   * Announce each change of status on the bus's channel (redis-bus.ts) from inside the
   * compare-and-set, for a RedisBus started with `storeAnnounces`: the page's instance
   * hears it one round trip sooner than from a PUBLISH sent after the write.
   */
  announceChanges?: boolean;
}

/**
 * Tickets in Redis, so a page's socket on one instance sees the confirm made on another.
 *
 * One hash per ticket, `${prefix}ticket:${id}`: `ticket` is the whole ticket as JSON (as in
 * the SQLite store, and for the same reasons); `version`, `retainUntil` and `status` are
 * beside it so the compare-and-set script reads short fields instead of decoding the
 * ticket (a hash written before `status` was kept announces its next write). Redis
 * deletes the hash when its retention ends, so nothing sweeps.
 *
 * The expiry is set as a duration on our clock (retainUntil - now), not as Redis's
 * absolute time: the instances' clock decides retention, and a Redis whose clock is off
 * must not drop a ticket early. `get` and the script also compare `retainUntil` with our
 * clock, so a ticket is gone at the same moment for every store.
 *
 * The connection belongs to the caller (it is shared by the other Redis stores), which
 * closes it after this store.
 */
export class RedisTicketStore implements TicketStore {
  private readonly announcements: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
    options: RedisTicketStoreOptions = {},
  ) {
    this.announcements = options.announceChanges ? ticketEventsChannel(redis.prefix) : '';
  }

  async create(ticket: Ticket, retainUntil: number): Promise<void> {
    const ttl = retainUntil - this.clock.now();
    const created = await this.redis.run(
      CREATE,
      [this.key(ticket.id)],
      [String(ticket.version), String(retainUntil), JSON.stringify(ticket), String(ttl), statusOf(ticket)],
    );
    // Said as every store says it (the ids are random: a clash is a bug, not a state).
    if (created !== 1) throw new Error(`ticket ${ticket.id} already exists`);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const [json, retainUntil] = await this.redis.call((client) =>
      client.hmGet(this.key(id), ['ticket', 'retainUntil']),
    );
    if (json === null || Number(retainUntil) <= this.clock.now()) return undefined;
    return JSON.parse(json) as Ticket;
  }

  async compareAndSet(next: Ticket, expectedVersion: number, retainUntil: number): Promise<boolean> {
    const now = this.clock.now();
    const status = statusOf(next);
    const written = await this.redis.run(
      COMPARE_AND_SET,
      [this.key(next.id)],
      [
        String(expectedVersion),
        String(now),
        String(next.version),
        String(retainUntil),
        JSON.stringify(next),
        String(retainUntil - now),
        status,
        this.announcements,
        this.announcements && ticketEventMessage(next.id, status),
      ],
    );
    return written === 1;
  }

  /** Nothing to stop: Redis expires the tickets, and the connection is the caller's. */
  async close(): Promise<void> {}

  private key(id: string): string {
    return `${this.redis.prefix}ticket:${id}`;
  }
}
