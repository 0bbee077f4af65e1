import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import type { DriftObservation } from '../../src/core/ports/drift-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { services } from '../support/scale-out.js';

function observation(at: number, overrides: Partial<DriftObservation> = {}): DriftObservation {
  return {
    at,
    alias: 'gpt-test',
    promptName: 'invoice-extract',
    promptVersion: 3,
    pipeline: 'invoice',
    requests: 12,
    schemaChecked: 10,
    schemaFailures: 2,
    repairs: 1,
    refusals: 0,
    embedded: 4,
    embeddingSum: Float32Array.from([0.5, -1.25, 3, 0]),
    embedder: 'hashed-ngram-v2/4',
    ...overrides,
  };
}

/** The drift store on both adapters: what is appended comes back whole (nulls, the vector sum), by window, and is pruned. */
for (const adapter of ['sqlite', 'postgres'] as const) {
  describe(`drift store (${adapter})`, () => {
    let store: Store;
    const schema = `bw_drift_${randomBytes(4).toString('hex')}`;
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

    it('appends a batch, reads a window [from, to), deletes what is older', async () => {
      const plain = observation(120_000, { promptName: null, promptVersion: null, pipeline: null, embedded: 0, embeddingSum: null });
      await store.drift.append([observation(60_000), plain, observation(180_000, { requests: 1 })]);
      await store.drift.append([]);
      const window = await store.drift.window(60_000, 180_000);
      const byAt = new Map(window.map((row) => [row.at, row]));
      assert.equal(window.length, 2);
      assert.deepEqual({ ...byAt.get(60_000)!, embeddingSum: [...byAt.get(60_000)!.embeddingSum!] }, { ...observation(60_000), embeddingSum: [0.5, -1.25, 3, 0] });
      assert.deepEqual(byAt.get(120_000), plain);
      assert.equal(await store.drift.deleteBefore(120_000), 1);
      assert.deepEqual((await store.drift.window(0, 1e12)).map((row) => row.at).sort(), [120_000, 180_000]);
    });
  });
}
