import { isNativeError } from 'node:util/types';
import pg from 'pg';
import { StoreUnavailable } from '../errors';
import { stopwatch, type Metrics } from '../metrics/metrics';

// SQLSTATEs that mean PostgreSQL cannot serve us right now (connection exceptions, a
// server shutting down or starting up, no connection slot left), as opposed to a statement
// it refused, which is a bug or a broken constraint and must stay loud.
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]$|53300$)/;

/**
 * StoreUnavailable (503) when PostgreSQL could not be reached or answered that it cannot
 * serve; any other error as it is. Errors that are not PostgreSQL's answer come from the
 * connection itself: refused, reset, timed out, terminated, or the pool already ended.
 */
export function asStoreError(error: unknown): unknown {
  // isNativeError, not instanceof: socket errors are made by Node's core, whose Error is
  // not the one of a vm context such as Jest's.
  if (!isNativeError(error)) return error;
  if (error instanceof pg.DatabaseError && !UNAVAILABLE_SQLSTATE.test(error.code ?? '')) return error;
  const unavailable = new StoreUnavailable();
  unavailable.cause = error;
  return unavailable;
}

// The stores share one bare pg.Pool per instance, so the timing hangs on the pool rather
// than on each store's constructor.
const timedPools = new WeakMap<pg.Pool, Metrics>();

/** Records how long each statement `query` runs on this pool takes (store_seconds{store="postgres"}). */
export function timeQueries(pool: pg.Pool, metrics: Metrics): void {
  timedPools.set(pool, metrics);
}

/** Runs one statement on the pool and returns its rows; see asStoreError for failures. */
export async function query<R extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<R[]> {
  const elapsed = stopwatch();
  try {
    return (await pool.query<R>(text, values)).rows;
  } catch (error) {
    throw asStoreError(error);
  } finally {
    // The statement's verb (select, insert, …): a label of a few values, never the SQL or its values.
    timedPools.get(pool)?.storeCall('postgres', /^\s*([a-z]+)/i.exec(text)?.[1].toLowerCase() ?? 'other', elapsed());
  }
}
