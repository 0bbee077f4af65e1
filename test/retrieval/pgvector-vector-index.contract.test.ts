import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PgvectorVectorIndexStore } from '../../src/adapters/vector-index/pgvector/pgvector-vector-index-store.js';
import { contractDimension, randomUnitVectors, vectorIndexContract } from '../contracts/vector-index-contract.js';

// The semantic cache's shared index (cache.semantic.index.driver: pgvector) on PGlite's bundled
// pgvector: the VectorIndexStore contract every other index adapter passes.
let database: PGlite | undefined;
const shared = async () => (database ??= await PGlite.create({ extensions: { vector } }));
const open = async () => {
  const db = await shared();
  return PgvectorVectorIndexStore.open({ client: db, dimension: contractDimension, transaction: (work) => db.transaction((tx) => work(tx)) });
};

vectorIndexContract('pgvector on PGlite', async () => {
  const harness = { store: await open(), reopen: open, close: async () => harness.store.close() };
  return harness;
});

describe('pgvector semantic cache index', () => {
  it('hands out labels from one sequence, so two stores on the same database never write the same label', async () => {
    const [a, b] = [await open(), await open()];
    const labels = [await a.nextLabel(), await b.nextLabel(), await a.nextLabel(), await b.nextLabel()];
    assert.equal(new Set(labels).size, 4);
    assert.deepEqual(
      [...labels].sort((x, y) => x - y),
      labels,
      'in order',
    );
  });

  it('another store on the database finds what one added, only in the same scope and tenant', async () => {
    const [a, b] = [await open(), await open()];
    const [v] = randomUnitVectors(1, contractDimension, 40);
    await (await a.open('scope-shared', { tenant: 't1', alias: 'x' })).add(5, v!);
    assert.equal((await (await b.open('scope-shared', { tenant: 't1', alias: 'x' })).search(v!, 3))[0]?.label, 5);
    assert.deepEqual(await (await b.open('scope-other', { tenant: 't1', alias: 'x' })).search(v!, 3), []);
    // The same scope string under another tenant (a forged meta) still finds nothing: the tenant is in the WHERE clause.
    await b.release('scope-shared');
    assert.deepEqual(await (await b.open('scope-shared', { tenant: 't2', alias: 'x' })).search(v!, 3), []);
  });

  it('keeps the shared table bounded: the oldest labels past maxEntries and expired answers are swept', async () => {
    const db = await shared();
    let now = 1_000;
    const store = await PgvectorVectorIndexStore.open({ client: db, dimension: contractDimension, maxEntries: 10, sweepEvery: 5, now: () => now });
    await db.query(`DELETE FROM semantic_cache_vectors_${contractDimension}`);
    const index = await store.open('scope-sweep', { tenant: 't' });
    const vectors = randomUnitVectors(25, contractDimension, 41);
    for (const [offset, v] of vectors.entries()) await index.add(1000 + offset, v);
    await store.sweep();
    const { rows } = await db.query<{ label: number }>(`SELECT label FROM semantic_cache_vectors_${contractDimension} ORDER BY label`);
    assert.deepEqual(
      rows.map((row) => Number(row.label)),
      Array.from({ length: 10 }, (_, i) => 1015 + i),
    );
    const payloads = store.payloads();
    await payloads.set('sem:a:1', 'old', 100);
    await payloads.set('sem:a:2', 'new', 10_000);
    assert.equal(await payloads.get('sem:a:1'), 'old');
    now += 500;
    assert.equal(await payloads.get('sem:a:1'), undefined, 'an expired answer is not read');
    await store.sweep();
    const left = await db.query<{ key: string }>("SELECT key FROM semantic_cache_payloads WHERE key LIKE 'sem:a:%'");
    assert.deepEqual(
      left.rows.map((row) => row.key),
      ['sem:a:2'],
    );
  });

  it('without the vector extension, refuses to open with an error that names it', async () => {
    const bare = await PGlite.create();
    try {
      await assert.rejects(PgvectorVectorIndexStore.open({ client: bare, dimension: contractDimension }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, /extension "vector" \(pgvector\)/);
        return true;
      });
    } finally {
      await bare.close();
    }
  });
});
