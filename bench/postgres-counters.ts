import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** Linux's unit of process CPU time in /proc/<pid>/stat (USER_HZ). */
const TICK_MS = 10;

/**
 * What PostgreSQL did for one database, as counters for the logins' window:
 * `postgres:cpuMs`, the CPU time of the server processes (backends) connected to it, read
 * from /proc, as the PostgreSQL server on this machine is shared with other databases;
 * and `postgres:transactions`, committed and rolled back (pg_stat_database, which the
 * backends update about once a second: close, not exact). The backend this connection
 * uses is left out. A backend keeps its last reading when it ends, so the counter never
 * goes back; what it used after that reading is lost.
 */
export class PostgresCounters {
  private readonly cpuMsByBackend = new Map<number, number>();

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresCounters> {
    const client = new pg.Client(url);
    await client.connect();
    return new PostgresCounters(client);
  }

  async read(): Promise<Record<string, number>> {
    const backends = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const { pid } of backends.rows) {
      const cpu = await backendCpuMs(pid);
      if (cpu !== undefined) this.cpuMsByBackend.set(pid, cpu);
    }
    const stats = await this.client.query<{ transactions: string }>(
      'SELECT xact_commit + xact_rollback AS transactions FROM pg_stat_database WHERE datname = current_database()',
    );
    return {
      'postgres:cpuMs': [...this.cpuMsByBackend.values()].reduce((sum, ms) => sum + ms, 0),
      'postgres:transactions': Number(stats.rows[0]?.transactions ?? Number.NaN),
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** utime + stime of a process; undefined if it has gone (or is not on this machine's /proc). */
async function backendCpuMs(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // The name in parentheses may hold spaces; the fields after it start with the state (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
