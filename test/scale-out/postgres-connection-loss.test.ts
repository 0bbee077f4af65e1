import { type EventEmitter, once } from 'node:events';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import { TableSource } from '../../src/adapters/sources/document-sources.js';
import { openPool } from '../../src/adapters/store/postgres/open-pool.js';
import { guardPool } from '../../src/adapters/store/postgres/store-unavailable.js';
import { withTransaction } from '../../src/adapters/store/postgres/with-transaction.js';
import { services } from '../support/scale-out.js';

/*
 * Regression: a PostgreSQL shutdown ended every worker process. The server tells each session
 * "terminating connection due to administrator command" (57P01); a pooled connection that a
 * transaction held between two queries emitted that as an 'error' event nobody listened to.
 * pg_terminate_backend sends the same message to one session, without stopping the server.
 */

const pool = guardPool(openPool({ connectionString: services.postgres, max: 2 }));
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

test('a connection checked out with no listener of its own and terminated between two queries fails its next query, not the process; the pool hands out a working one after', async () => {
  // Any code that takes a client with pool.connect() (a sink's CREATE TABLE, a future helper)
  // is covered by the pool, not by remembering to listen. Unheard, this 'error' event would be
  // thrown and end the test process.
  const client = await pool.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  // Waits on the socket, not on the client: a listener on the client would hear the error itself.
  const closed = once((client as unknown as { connection: { stream: EventEmitter } }).connection.stream, 'close');
  await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
  await closed;
  await assert.rejects(client.query('SELECT 1'));
  client.release();
  const next = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  assert.notEqual(next.rows[0]!.pid, rows[0]!.pid, 'the terminated connection was not handed out again');
});

test('a watched table source whose connection the server ended reads again on its next sync', async () => {
  const pidOf = (documents: Awaited<ReturnType<TableSource['read']>>) => {
    const body = documents[0]!.body;
    return Number(/pid: (\d+)/.exec('text' in body ? body.text : '')?.[1]);
  };
  const source = new TableSource({ url: services.postgres, query: 'SELECT 1 AS id, pg_backend_pid() AS pid', idColumn: 'id' });
  try {
    const before = await source.read();
    const pid = pidOf(before);
    assert.ok(pid > 0);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    // The connection was idle: the next read notices it is gone, whenever pg hears of it.
    let after: Awaited<ReturnType<TableSource['read']>> | undefined;
    for (let attempt = 0; attempt < 3 && !after; attempt++) after = await source.read().catch(() => undefined);
    assert.ok(after, 'the source read again');
    assert.notEqual(pidOf(after), pid);
  } finally {
    await source.close();
  }
});
