import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { ChunkFilter, ChunkWrite, Collection, CollectionStore } from '../../src/core/ports/collection-store.js';

export interface CollectionStoreHarness {
  /** A store over fresh or shared storage; the suite scopes everything by random tenants. */
  open(): Promise<CollectionStore>;
  /** Another instance over the same storage (persistent adapters): what a restart sees. */
  reopen?: (store: CollectionStore) => Promise<CollectionStore>;
}

const dimension = 8;

/** A unit vector pointing mostly along `axis`, tilted a little towards `tilt`. */
function vector(axis: number, tilt = (axis + 1) % dimension, amount = 0.1): Float32Array {
  const values = new Float32Array(dimension);
  values[axis] = 1;
  values[tilt] = amount;
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

function chunk(id: string, ordinal: number, text: string, axis: number): ChunkWrite {
  return { id, ordinal, heading: null, text, start: ordinal * 100, end: ordinal * 100 + text.length, vector: vector(axis) };
}

function collection(tenant: string, name: string): Collection {
  return {
    tenant,
    name,
    description: '',
    embedder: { kind: 'builtin', dimension },
    chunking: { maxTokens: 128, overlapTokens: 16 },
    metadataSchema: null,
    accessTags: [],
    createdAt: 1_000,
  };
}

function document(name: string, accessTags: string[] = [], metadata: Record<string, string | number | boolean> = {}) {
  return { name, contentHash: `hash-${name}-${randomUUID()}`, characters: 100, accessTags, metadata, updatedAt: 2_000 };
}

/** The collection-store contract: every adapter (SQLite + HNSW, pgvector) passes the same cases. */
export function describeCollectionStoreContract(name: string, harness: CollectionStoreHarness): void {
  describe(`CollectionStore contract: ${name}`, () => {
    const opened: CollectionStore[] = [];
    const open = async () => {
      const store = await harness.open();
      opened.push(store);
      return store;
    };
    after(async () => {
      for (const store of opened) await store.close().catch(() => {});
    });
    const tenant = () => `tenant-${randomUUID()}`;
    const filter = (t: string, accessTags: string[] = [], metadata?: Record<string, string | number | boolean>): ChunkFilter => ({
      tenant: t,
      collection: 'docs',
      accessTags,
      ...(metadata ? { metadata } : {}),
    });

    it("claims a watched source's round for one caller until it is due again", async () => {
      const store = await open();
      const source = `source-${Math.random().toString(36).slice(2)}`;
      const claims = await Promise.all([store.claimSourceRound(source, 60_000, 1_000), store.claimSourceRound(source, 60_000, 1_000)]);
      assert.deepEqual(claims.filter(Boolean).length, 1, 'two callers at once: one claim');
      assert.equal(await store.claimSourceRound(source, 60_000, 60_999), false, 'not due yet');
      assert.equal(await store.claimSourceRound(source, 60_000, 61_000), true, 'due');
      assert.equal(await store.claimSourceRound(source, 60_000, 61_000), false, 'already claimed');
      assert.equal(await store.claimSourceRound(`${source}-other`, 60_000, 61_000), true, 'sources are apart');
    });

    it('creates a collection once per tenant, and another tenant neither sees nor blocks the name', async () => {
      const store = await open();
      const [a, b] = [tenant(), tenant()];
      assert.equal(await store.createCollection(collection(a, 'docs')), true);
      assert.equal(await store.createCollection({ ...collection(a, 'docs'), description: 'again' }), false);
      assert.equal((await store.getCollection({ tenant: a, collection: 'docs' }))?.description, '');
      assert.equal(await store.getCollection({ tenant: b, collection: 'docs' }), undefined);
      assert.deepEqual(await store.listCollections(b), []);
      assert.equal(await store.createCollection(collection(b, 'docs')), true);
      assert.deepEqual(
        (await store.listCollections(a)).map((c) => c.name),
        ['docs'],
      );
    });

    it('re-writing a document inserts only new chunk ids, keeps the rest with their new places and deletes vanished ones', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      const first = await store.writeDocument(scope, document('a.md'), [chunk('c1', 0, 'alpha one', 0), chunk('c2', 1, 'beta two', 1), chunk('c3', 2, 'gamma three', 2)]);
      assert.deepEqual(first, { added: 3, removed: 0 });
      assert.deepEqual([...(await store.chunkIds(scope, 'a.md'))].sort(), ['c1', 'c2', 'c3']);
      const { vector: _dropped, ...keptWithoutVector } = chunk('c2', 0, 'beta two', 1);
      const second = await store.writeDocument(scope, document('a.md'), [keptWithoutVector, chunk('c4', 1, 'delta four', 3)]);
      assert.deepEqual(second, { added: 1, removed: 2 });
      assert.deepEqual([...(await store.chunkIds(scope, 'a.md'))].sort(), ['c2', 'c4']);
      const hits = await store.searchVector(filter(t), vector(1), 1);
      assert.equal(hits[0]?.chunkId, 'c2');
      assert.equal(hits[0]?.ordinal, 0, 'the kept chunk has its new place');
      assert.equal(hits[0]?.start, 0);
      assert.deepEqual(await store.searchText(filter(t), 'gamma', 5), [], 'a vanished chunk is gone from the text index');
      assert.equal(
        (await store.searchVector(filter(t), vector(2), 5)).some((hit) => hit.chunkId === 'c3'),
        false,
      );
      assert.equal((await store.getDocument(scope, 'a.md'))?.chunks, 2);
    });

    it('two tenants sharing the index: a search never returns the other tenant’s chunk', async () => {
      const store = await open();
      const [a, b] = [tenant(), tenant()];
      for (const t of [a, b]) await store.createCollection(collection(t, 'docs'));
      // Tenant b's chunk is the exact match for both queries; tenant a's is only near.
      await store.writeDocument({ tenant: b, collection: 'docs' }, document('secret.md'), [chunk('b1', 0, 'merger plan codename heron', 4)]);
      await store.writeDocument({ tenant: a, collection: 'docs' }, document('public.md'), [{ ...chunk('a1', 0, 'public roadmap heron', 5), vector: vector(5, 4, 0.5) }]);
      const vectorHits = await store.searchVector(filter(a), vector(4), 10);
      assert.deepEqual(
        vectorHits.map((hit) => hit.chunkId),
        ['a1'],
      );
      const textHits = await store.searchText(filter(a), 'merger plan codename heron', 10);
      assert.deepEqual(
        textHits.map((hit) => hit.chunkId),
        ['a1'],
      );
      assert.deepEqual(
        (await store.searchVector(filter(b), vector(4), 10)).map((hit) => hit.chunkId),
        ['b1'],
      );
    });

    it('an access tag the key lacks hides its chunks from both searches; holding it shows them', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      await store.writeDocument(scope, document('salaries.md', ['hr']), [chunk('hr1', 0, 'salary bands for engineers', 6)]);
      await store.writeDocument(scope, document('both.md', ['hr', 'finance']), [chunk('hf1', 0, 'salary budget forecast', 6)]);
      await store.writeDocument(scope, document('handbook.md'), [chunk('pub1', 0, 'engineers onboarding guide', 7)]);
      const ids = async (tags: string[]) => ({
        vector: (await store.searchVector(filter(t, tags), vector(6), 10)).map((hit) => hit.chunkId).sort(),
        text: (await store.searchText(filter(t, tags), 'salary engineers', 10)).map((hit) => hit.chunkId).sort(),
      });
      assert.deepEqual(await ids([]), { vector: ['pub1'], text: ['pub1'] });
      assert.deepEqual(await ids(['hr']), { vector: ['hr1', 'pub1'], text: ['hr1', 'pub1'] });
      assert.deepEqual(await ids(['finance', 'hr']), { vector: ['hf1', 'hr1', 'pub1'], text: ['hf1', 'hr1', 'pub1'] });
    });

    it('a restricted search still returns k visible chunks when nearer hidden ones exist', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      const hidden = Array.from({ length: 40 }, (_, i) => ({ ...chunk(`h${i}`, i, `hidden ${i}`, 0), vector: vector(0, 1 + (i % 7), 0.01 * (i + 1)) }));
      await store.writeDocument(scope, document('hidden.md', ['secret']), hidden);
      await store.writeDocument(scope, document('open.md'), [chunk('o1', 0, 'open one', 1), chunk('o2', 1, 'open two', 2), chunk('o3', 2, 'open three', 3)]);
      const hits = await store.searchVector(filter(t), vector(0), 3);
      assert.deepEqual(hits.map((hit) => hit.chunkId).sort(), ['o1', 'o2', 'o3']);
    });

    it('filters on document metadata inside both searches', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      await store.writeDocument(scope, document('de.md', [], { lang: 'de', year: 2024, draft: false }), [chunk('de1', 0, 'urlaub regeln', 2)]);
      await store.writeDocument(scope, document('en.md', [], { lang: 'en', year: 2024, draft: true }), [chunk('en1', 0, 'leave rules urlaub', 2)]);
      assert.deepEqual(
        (await store.searchVector(filter(t, [], { lang: 'de' }), vector(2), 10)).map((hit) => hit.chunkId),
        ['de1'],
      );
      assert.deepEqual(
        (await store.searchText(filter(t, [], { lang: 'en' }), 'urlaub', 10)).map((hit) => hit.chunkId),
        ['en1'],
      );
      assert.deepEqual(
        (await store.searchText(filter(t, [], { year: 2024, draft: false }), 'urlaub', 10)).map((hit) => hit.chunkId),
        ['de1'],
      );
    });

    it('text search ranks the chunk with more of the query words first and returns places and text', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      await store.writeDocument(scope, document('kettle.md'), [
        { ...chunk('k1', 0, 'Descale the kettle every four weeks with vinegar.', 1), heading: 'Descaling' },
        chunk('k2', 1, 'The kettle has a two-year warranty.', 2),
        chunk('k3', 2, 'Keep the jug in the fridge.', 3),
      ]);
      const hits = await store.searchText(filter(t), 'How often should I descale the kettle?', 10);
      assert.equal(hits[0]?.chunkId, 'k1');
      assert.equal(hits[0]?.heading, 'Descaling');
      assert.equal(hits[0]?.text, 'Descale the kettle every four weeks with vinegar.');
      assert.equal(hits[0]?.document, 'kettle.md');
      assert.ok(hits.every((hit) => hit.chunkId !== 'k3'));
      assert.ok(hits[0]!.score > hits[1]!.score);
      assert.deepEqual(await store.searchText(filter(t), '"); DROP TABLE chunks; --', 10), [], 'query syntax is never passed through');
    });

    it('deleting a document removes its chunks; deleting the collection removes everything', async () => {
      const store = await open();
      const t = tenant();
      const scope = { tenant: t, collection: 'docs' };
      await store.createCollection(collection(t, 'docs'));
      await store.writeDocument(scope, document('a.md'), [chunk('a1', 0, 'apple orchard', 0)]);
      await store.writeDocument(scope, document('b.md'), [chunk('b1', 0, 'banana plantation', 1)]);
      assert.equal(await store.deleteDocument(scope, 'a.md'), true);
      assert.equal(await store.deleteDocument(scope, 'a.md'), false);
      assert.deepEqual(
        (await store.searchVector(filter(t), vector(0), 10)).map((hit) => hit.chunkId),
        ['b1'],
      );
      assert.deepEqual(await store.searchText(filter(t), 'apple', 10), []);
      assert.deepEqual(
        (await store.listDocuments(scope)).map((doc) => doc.name),
        ['b.md'],
      );
      assert.equal(await store.deleteCollection(scope), true);
      assert.equal(await store.getCollection(scope), undefined);
      await store.createCollection(collection(t, 'docs'));
      assert.deepEqual(await store.searchVector(filter(t), vector(1), 10), []);
      assert.deepEqual(await store.listDocuments(scope), []);
    });

    if (harness.reopen) {
      const reopen = harness.reopen;
      it('after a restart, searches find what was written before', async () => {
        const store = await open();
        const t = tenant();
        const scope = { tenant: t, collection: 'docs' };
        await store.createCollection(collection(t, 'docs'));
        await store.writeDocument(scope, document('a.md', ['hr']), [chunk('a1', 0, 'pension scheme', 3), chunk('a2', 1, 'company car', 4)]);
        const again = await reopen(store);
        opened.push(again);
        assert.deepEqual(
          (await again.searchVector(filter(t, ['hr']), vector(3), 1)).map((hit) => hit.chunkId),
          ['a1'],
        );
        assert.deepEqual(await again.searchVector(filter(t), vector(3), 1), []);
        assert.deepEqual([...(await again.chunkIds(scope, 'a.md'))].sort(), ['a1', 'a2']);
      });
    }
  });
}
