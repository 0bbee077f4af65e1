import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import type { UsageRow } from '../../src/core/ports/store.js';
import { usage } from '../contracts/store-fixtures.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bw_cascade_${randomBytes(4).toString('hex')}`;
const admin = new pg.Pool({ connectionString, max: 1 });

after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

it('PostgreSQL ledger rows keep a structured call cascade: the escalation and the discarded first answer cost', async () => {
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await PostgresStore.open({ connectionString: url.toString(), poolSize: 2, readPoolSize: 0 });
  try {
    const row = (requestId: string, extra: Partial<UsageRow>): UsageRow => ({
      ts: Date.now(),
      requestId,
      keyId: 'k',
      alias: 'auto',
      deployment: 'up/big',
      operation: 'chat',
      inputTokens: 22,
      outputTokens: 14,
      costUsd: 0.000275,
      latencyMs: 1,
      overheadMs: 1,
      status: 200,
      cache: 'miss',
      errorCode: null,
      routeTier: 'large',
      routeReason: 'r',
      pii: null,
      ...extra,
    });
    await store.ledger.appendUsage([
      row('escalated', { cascade: 'escalated', cascadeFirstCostUsd: 0.000025 }),
      row('answered', { cascade: 'answered', cascadeFirstCostUsd: null }),
      row('plain', {}),
    ]);
    const { rows } = await admin.query(
      `SELECT request_id, cascade, cascade_first_cost_nanos::text AS first, cost_nanos::text AS cost FROM ${pg.escapeIdentifier(schema)}.usage ORDER BY request_id`,
    );
    assert.deepEqual(rows, [
      { request_id: 'answered', cascade: 0, first: null, cost: '275000' },
      { request_id: 'escalated', cascade: 1, first: '25000', cost: '275000' },
      { request_id: 'plain', cascade: null, first: null, cost: '275000' },
    ]);
  } finally {
    await store.close();
  }
});

it('PostgreSQL ledger: a batch written again after a failure whose commit is unknown stores each row once; a new row with the same fields is a new row', async () => {
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await PostgresStore.open({ connectionString: url.toString(), poolSize: 2, readPoolSize: 0 });
  try {
    const row = (requestId: string): UsageRow => usage({ requestId, alias: 'retried' });
    const batch = [row('a'), row('b')];
    await store.ledger.appendUsage(batch);
    // The ledger writer's retry: the same row objects, plus one that arrived meanwhile.
    await store.ledger.appendUsage([...batch, row('c')]);
    // Another call with the same fields is another row.
    await store.ledger.appendUsage([row('a')]);
    const { rows } = await admin.query(`SELECT request_id FROM ${pg.escapeIdentifier(schema)}.usage WHERE alias = 'retried' ORDER BY request_id`);
    assert.deepEqual(
      rows.map((stored) => stored.request_id),
      ['a', 'a', 'b', 'c'],
    );
  } finally {
    await store.close();
  }
});
