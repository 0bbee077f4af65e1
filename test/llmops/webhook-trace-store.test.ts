import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { dispatchOf, input, newJob, t0, unique } from '../contracts/store-fixtures.js';
import { services } from '../support/scale-out.js';

/** The outbox keeps a delivery's trace context on both adapters, for the dispatcher that claims it on any node. */
for (const adapter of ['sqlite', 'postgres'] as const) {
  describe(`webhook delivery trace context (${adapter})`, () => {
    let store: Store;
    const schema = `bw_whtrace_${randomBytes(4).toString('hex')}`;
    before(async () => {
      if (adapter === 'sqlite') store = await SqliteStore.open(':memory:');
      else {
        const admin = new pg.Pool({ connectionString: services.postgres, max: 1 });
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        store = await PostgresStore.open({ connectionString: `${services.postgres}?options=${encodeURIComponent(`-c search_path=${schema}`)}` });
      }
      await store.migrate();
    });
    after(async () => {
      await store.close();
      if (adapter === 'postgres') {
        const admin = new pg.Pool({ connectionString: services.postgres, max: 1 });
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    });

    it('a delivery written with a trace context is claimed with it; one written without has none', async () => {
      const job = newJob();
      await store.jobs.createJob(job, input(), dispatchOf(job));
      const traceContext = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' };
      const [traced, plain] = [unique('whd'), unique('whd')];
      await store.jobs.cancelJob(job.id, job.tenant, t0 + 10, () => [
        { id: traced, url: 'https://hooks.example.com/a', eventType: 'job.cancelled', body: '{}', traceContext },
        { id: plain, url: 'https://hooks.example.com/b', eventType: 'job.cancelled', body: '{}' },
      ]);
      const claimed = await store.deliveries.claim('test-claimant', t0 + 20, 60_000, 10);
      const byId = new Map(claimed.map((delivery) => [delivery.id, delivery]));
      assert.deepEqual(byId.get(traced)?.traceContext, traceContext);
      assert.equal(byId.get(plain)?.traceContext, undefined);
    });
  });
}
