import type pg from 'pg';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { isDependencyFailure } from '../../../core/errors/dependency-failure.js';

/**
 * A lost or refused PostgreSQL connection as DEPENDENCY_UNAVAILABLE (503, retryable); any other
 * error unchanged. pg's own text names the host and port, so the message does not repeat it:
 * it reaches API clients.
 */
export function storeUnavailable(error: unknown): unknown {
  if (BreakwaterError.isInstance(error) || !isDependencyFailure(error)) return error;
  return new BreakwaterError(
    'DEPENDENCY_UNAVAILABLE',
    'PostgreSQL (the store) does not answer; retry shortly. Operators: check that the database server runs and that store.url reaches it.',
    { cause: error, retryAfterSeconds: 1 },
  );
}

/**
 * The same failure when the store is opened: the operator starting Breakwater reads it, not a
 * tenant, and pg's own words (which host and port refused) say what to fix in store.url.
 */
export function storeUnreachableAtStart(error: unknown): unknown {
  if (!BreakwaterError.isInstance(error) || error.code !== 'DEPENDENCY_UNAVAILABLE' || !(error.cause instanceof Error)) return error;
  return new BreakwaterError(
    'DEPENDENCY_UNAVAILABLE',
    `PostgreSQL (the store) does not answer (${error.cause.message}); check that the server runs and that store.url reaches it.`,
    {
      cause: error.cause,
    },
  );
}

/**
 * Makes the pool's own `query` and `connect` report a lost database as DEPENDENCY_UNAVAILABLE,
 * so every store read and write answers a clear 503 during an outage instead of an internal
 * error. Queries on a client taken with `connect` are mapped by `withTransaction`.
 */
export function guardPool(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const rethrow = (error: unknown) => {
    throw storeUnavailable(error);
  };
  // Both keep pg's callback forms (pg calls them internally): only a returned promise is mapped.
  Object.assign(pool, {
    query: (...args: unknown[]) => {
      const result = query(...args);
      return result instanceof Promise ? result.catch(rethrow) : result;
    },
    connect: (...args: unknown[]) => {
      const result = connect(...args);
      return result instanceof Promise ? result.catch(rethrow) : result;
    },
  });
  return pool;
}
