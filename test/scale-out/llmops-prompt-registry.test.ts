import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { promptRegistryContract } from '../contracts/prompt-registry-contract.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Two stores on one fresh schema: two nodes of a cluster, each with its own LISTEN connection. */
promptRegistryContract('PostgreSQL (two nodes)', async () => {
  const schema = `bw_prompts_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const first = await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 });
  const second = await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 });
  return {
    registry: first.promptRegistry,
    other: second.promptRegistry,
    async close() {
      await first.close();
      await second.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
});
