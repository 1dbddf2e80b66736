import { randomBytes } from 'node:crypto';
import { administer, POSTGRES_URL } from '../test/support/postgres';

/**
 * A PostgreSQL database of the bench's own on the server the tests use (TEST_DATABASE_URL,
 * by default the local cluster as user postgres): created empty for the scale-out phase's
 * instances, which migrate it, and dropped after. No other database is touched.
 */
export class BenchDatabase {
  private constructor(
    private readonly name: string,
    readonly url: string,
  ) {}

  static async create(): Promise<BenchDatabase> {
    const name = `mp_scan_login_bench_${randomBytes(6).toString('hex')}`;
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    // template0: a session someone left open on template1 would make CREATE DATABASE fail.
    await administer(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    return new BenchDatabase(name, url.toString());
  }

  /** FORCE: a connection an instance that failed left open does not keep the database. */
  drop(): Promise<void> {
    return administer(`DROP DATABASE ${this.name} WITH (FORCE)`);
  }
}
