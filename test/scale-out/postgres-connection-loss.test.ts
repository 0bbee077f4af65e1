import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import { guardPool } from '../../src/adapters/store/postgres/store-unavailable.js';
import { withTransaction } from '../../src/adapters/store/postgres/with-transaction.js';
import { services } from '../support/scale-out.js';

/*
 * Regression: a PostgreSQL shutdown ended every worker process. The server tells each session
 * "terminating connection due to administrator command" (57P01); a pooled connection that a
 * transaction held between two queries emitted that as an 'error' event nobody listened to.
 * pg_terminate_backend sends the same message to one session, without stopping the server.
 */

const pool = guardPool(new pg.Pool({ connectionString: services.postgres, max: 2 }));
pool.on('error', () => {});
const admin = new pg.Pool({ connectionString: services.postgres, max: 1 });

after(async () => {
  await pool.end();
  await admin.end();
});

test('a connection terminated between two queries of a transaction fails the transaction with DEPENDENCY_UNAVAILABLE, not the process', async () => {
  let terminated: Promise<unknown> | undefined;
  const outcome = withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Between two queries: no query is waiting for the error, so only the client hears it.
    terminated = admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await terminated;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.query('SELECT 1');
  });
  await assert.rejects(outcome, (error: unknown) => BreakwaterError.isInstance(error) && error.code === 'DEPENDENCY_UNAVAILABLE' && /PostgreSQL/.test(error.message));
  assert.ok(terminated, 'the session was terminated mid-transaction');
  // The broken connection left the pool: the next transaction gets a working one.
  assert.equal(await withTransaction(pool, async (client) => (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one), 1);
});
