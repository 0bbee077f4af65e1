import type pg from 'pg';
import { storeUnavailable } from './store-unavailable.js';

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK
 * when it throws. A connection whose ROLLBACK fails is broken, so it is destroyed rather than
 * returned to the pool in an unknown state. A lost database is DEPENDENCY_UNAVAILABLE.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The pool listens for errors only on idle connections. One that dies while checked out
  // between two queries (the server shutting down sends 57P01 then) emits 'error' on the
  // client, which unheard ended the whole process; heard, the next query fails instead.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw storeUnavailable(error);
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
