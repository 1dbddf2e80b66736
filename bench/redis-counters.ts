import { createClient, type RedisClientType } from 'redis';

/**
 * What a Redis has done since it started, as counters for the logins' window:
 * `redis:commands` (INFO's total_commands_processed, in which every command a Lua script
 * runs counts as well as the EVALSHA that ran it), `redis:cpuMs` (the server's user +
 * system CPU time) and `redis:calls:<command>` (INFO commandstats). The INFO commands
 * asked here are left out.
 */
export class RedisCounters {
  private constructor(private readonly client: RedisClientType) {}

  static async open(url: string): Promise<RedisCounters> {
    const client: RedisClientType = createClient({ url });
    await client.connect();
    return new RedisCounters(client);
  }

  async read(): Promise<Record<string, number>> {
    const info = String(await this.client.sendCommand(['INFO', 'stats', 'cpu', 'commandstats']));
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    const calls = Object.fromEntries(
      [...info.matchAll(/^cmdstat_([\w|-]+):calls=(\d+)/gm)]
        .filter(([, name]) => name !== 'info')
        .map(([, name, n]) => [`redis:calls:${name}`, Number(n)]),
    );
    const ownInfo = Number(/^cmdstat_info:calls=(\d+)/m.exec(info)?.[1] ?? 0);
    return {
      'redis:commands': field('total_commands_processed') - ownInfo,
      'redis:cpuMs': (field('used_cpu_user') + field('used_cpu_sys')) * 1000,
      ...calls,
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
