import { readdirSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { storeContract } from '../contracts/store-contract.js';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomBytes(4).toString('hex');
/** One schema per store the suite opens, so every case starts empty; all dropped in `after`. */
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString, max: 1 });

/** A fresh schema, and a connection string whose sessions use it (and carry a name to find them by). */
async function freshSchema(): Promise<{ schema: string; url: string }> {
  const schema = `bw_test_${runId}_${schemas.length + 1}`;
  schemas.push(schema);
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  return { schema, url: url.toString() };
}

storeContract('PostgreSQL', async () => {
  const store = await PostgresStore.open({ connectionString: (await freshSchema()).url, poolSize: 6 });
  return { store, close: () => store.close() };
});

describe('PostgresStore', () => {
  test('two nodes starting at once apply each migration once', async () => {
    const { schema, url } = await freshSchema();
    const nodes = await Promise.all([PostgresStore.open({ connectionString: url }), PostgresStore.open({ connectionString: url })]);
    try {
      const applied = await admin.query<{ name: string }>(`SELECT name FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY name`);
      const files = readdirSync(new URL('../../src/adapters/store/postgres/migrations/', import.meta.url)).map((file) => file.replace(/\.sql$/, ''));
      assert.deepEqual(
        applied.rows.map((row) => row.name),
        files.sort(),
      );
      assert.deepEqual(await nodes[0].migrate(), { applied: [] });
      await nodes[1].ping();
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  test('survives the server dropping its idle connections', async () => {
    const { schema, url } = await freshSchema();
    const store = await PostgresStore.open({ connectionString: url, poolSize: 2 });
    try {
      await store.ping();
      const dropped = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema]);
      assert.ok((dropped.rowCount ?? 0) > 0);
      await sleep(100);
      await store.ping();
      assert.deepEqual(await store.keys.listKeys(), []);
    } finally {
      await store.close();
    }
  });

  test('answers job and key reads while every write connection waits on a lock (the read bulkhead)', async () => {
    const { schema, url } = await freshSchema();
    const store = await PostgresStore.open({ connectionString: url, poolSize: 1, readPoolSize: 1 });
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    let blocked: Promise<unknown> = Promise.resolve();
    try {
      const at = Date.now();
      const job = {
        id: `job_bulkhead_${runId}`,
        tenant: 'tenant-a',
        keyId: 'key-a',
        kind: 'pipeline' as const,
        pipeline: 'invoices',
        priority: 0,
        source: 'a.pdf',
        webhookUrl: null,
        idempotencyKey: null,
        requestHash: 'h',
        maxAttempts: 3,
        metadata: {},
        createdAt: at,
        runAt: at,
        deadline: null,
      };
      await store.jobs.createJob(job, [new TextEncoder().encode('{}')], { id: job.id, tenant: job.tenant, priority: 0, runAt: at, maxAttempts: 3 });
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE', [job.id]);
      // The store's only write connection now waits on that row lock, inside cancelJob's transaction.
      let cancelled = false;
      blocked = store.jobs.cancelJob(job.id, job.tenant, at).then(() => (cancelled = true));
      for (;;) {
        const waiting = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [schema]);
        if ((waiting.rowCount ?? 0) > 0) break;
      }
      const read = await withDeadline(store.jobs.getJobWithDeliveries(job.id, job.tenant), 5_000, 'the job read queued behind the blocked write');
      assert.equal(read?.job.status, 'queued');
      assert.equal(await withDeadline(store.keys.findKeyByHash('no-such-hash'), 5_000, 'the key lookup queued behind the blocked write'), undefined);
      assert.equal(cancelled, false, 'the reads answered while the write still waited');
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
      await blocked;
      await store.close();
    }
  });

  test('refuses to open on a server it cannot reach', async () => {
    const url = new URL(connectionString);
    url.port = '1';
    await assert.rejects(PostgresStore.open({ connectionString: url.toString() }), /ECONNREFUSED|connect/);
  });
});

after(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

/** Rejects with `what` if `work` has not settled within `ms`. */
async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what} (over ${ms} ms)`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
