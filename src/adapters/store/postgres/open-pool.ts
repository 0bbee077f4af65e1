import pg from 'pg';

const ignore = () => {};

/**
 * Every PostgreSQL pool Breakwater opens (store, sinks, pgvector indexes, watched tables) comes
 * from here, so that no dropped connection can end the process.
 *
 * A server that shuts down or restarts sends each connection an error (57P01) and closes it. pg
 * reports that as an 'error' event: on the pool for an idle connection, on the client itself for
 * one that is checked out, including between two statements of a transaction. An 'error' event
 * nobody listens to is thrown, which ends a Node process; a worker node would stop taking jobs.
 * Here both are heard: the pool has already dropped an idle connection, and a checked-out one
 * is no longer queryable, so its next statement fails with an error the caller handles, and
 * pg-pool removes it on release instead of handing it out again.
 */
export function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}
