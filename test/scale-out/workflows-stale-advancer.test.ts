import { describe } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { services } from '../support/scale-out.js';
import { staleAdvancerScenario } from '../workflows/stale-advancer-scenario.js';

describe('a stale workflow advancer is fenced out (PostgreSQL: two stores, as two worker nodes)', () => {
  staleAdvancerScenario(async () => {
    const schema = `bw_stale_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: services.postgres, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(services.postgres);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const a = await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 });
    const b = await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 });
    return {
      a,
      b,
      async close() {
        await b.close();
        await a.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  });
});
