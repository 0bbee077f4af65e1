import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { workflowStoreContract } from '../contracts/workflow-store-contract.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomBytes(4).toString('hex');
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString, max: 1 });

workflowStoreContract('PostgreSQL', async () => {
  const schema = `bw_wf_${runId}_${schemas.length + 1}`;
  schemas.push(schema);
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await PostgresStore.open({ connectionString: url.toString(), poolSize: 6 });
  return { store, close: () => store.close() };
});

after(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});
