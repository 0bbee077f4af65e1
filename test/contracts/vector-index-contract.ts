import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { VectorIndexStore } from '../../src/core/ports/vector-index.js';

/**
 * The behaviour every VectorIndexStore adapter must have, as one suite. `open` gives a store of
 * `dimension` dimensions; `reopen` (persistent adapters) gives a new store over the same
 * storage, as after a restart; `damage` breaks the stored indexes (not the stored vectors), as
 * a crash or a lost file would. Every case uses fresh random scope names.
 */
export interface VectorIndexHarness {
  store: VectorIndexStore;
  reopen?(): Promise<VectorIndexStore>;
  damage?(how: 'delete' | 'corrupt'): Promise<void>;
  close(): Promise<void>;
}

export const contractDimension = 32;
const fresh = (): string => `scope-${randomBytes(6).toString('hex')}`;

/** Deterministic random unit vectors (mulberry32), so a failing case can be replayed. */
export function randomUnitVectors(count: number, dimension: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296 - 0.5;
  };
  return Array.from({ length: count }, () => unit(Float32Array.from({ length: dimension }, random)));
}

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return vector.map((value) => value / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Exact top-1 by scanning, computed in the test itself so it cannot share an adapter's bug. */
function exactNearest(vectors: readonly Float32Array[], query: Float32Array): number {
  let best = -1;
  let bestSimilarity = -Infinity;
  vectors.forEach((vector, label) => {
    const similarity = dot(vector, query);
    if (similarity > bestSimilarity) [best, bestSimilarity] = [label, similarity];
  });
  return best;
}

export function vectorIndexContract(name: string, open: () => Promise<VectorIndexHarness>): void {
  describe(`VectorIndexStore contract: ${name}`, () => {
    let h: VectorIndexHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('finds nothing in an empty index, and the added vector with similarity 1', async () => {
      const index = await h.store.open(fresh(), {});
      const [a, b, c] = randomUnitVectors(3, contractDimension, 1);
      assert.deepEqual(await index.search(a!, 3), []);
      await index.add(7, a!);
      await index.add(8, b!);
      await index.add(9, c!);
      const matches = await index.search(a!, 2);
      assert.equal(matches.length, 2, 'at most k matches');
      assert.equal(matches[0]!.label, 7);
      assert.ok(Math.abs(matches[0]!.similarity - 1) < 1e-4, `cosine of a vector with itself is 1, got ${matches[0]!.similarity}`);
      assert.ok(matches[0]!.similarity >= matches[1]!.similarity, 'most similar first');
      assert.ok(Math.abs(matches[1]!.similarity - Math.max(dot(a!, b!), dot(a!, c!))) < 1e-4, 'the similarity is the cosine');
      assert.equal(index.size(), 3);
      assert.deepEqual(index.labels(), [7, 8, 9]);
      assert.equal((await index.search(a!, 10)).length, 3, 'k above the size returns every vector');
    });

    it('replaces the vector of a label added again', async () => {
      const index = await h.store.open(fresh(), {});
      const [a, b] = randomUnitVectors(2, contractDimension, 2);
      await index.add(1, a!);
      await index.add(1, b!);
      assert.equal(index.size(), 1);
      const [match] = await index.search(b!, 1);
      assert.equal(match!.label, 1);
      assert.ok(match!.similarity > 0.999);
    });

    it('never returns a removed vector; removing twice or an unknown label is fine; a removed label can come back', async () => {
      const index = await h.store.open(fresh(), {});
      const vectors = randomUnitVectors(20, contractDimension, 3);
      for (const [label, vector] of vectors.entries()) await index.add(label, vector);
      await index.remove(4);
      await index.remove(4);
      await index.remove(999);
      assert.equal(index.size(), 19);
      assert.ok(!(await index.search(vectors[4]!, 20)).some((match) => match.label === 4));
      await index.add(4, vectors[4]!);
      assert.equal((await index.search(vectors[4]!, 1))[0]!.label, 4);
      for (let label = 0; label < 20; label++) await index.remove(label);
      assert.deepEqual(await index.search(vectors[0]!, 5), []);
    });

    it('keeps scopes apart: a search never returns a vector of another scope', async () => {
      const [a, b] = [fresh(), fresh()];
      const first = await h.store.open(a, { tenant: 'one' });
      const second = await h.store.open(b, { tenant: 'two' });
      const [vector] = randomUnitVectors(1, contractDimension, 4);
      await first.add(1, vector!);
      assert.deepEqual(await second.search(vector!, 5), []);
      assert.equal(await h.store.open(a, { tenant: 'one' }), first, 'the same scope gives the same index');
      const listed = await h.store.list();
      assert.deepEqual(listed.find((entry) => entry.scope === a)?.meta, { tenant: 'one' });
      assert.deepEqual(listed.find((entry) => entry.scope === b)?.meta, { tenant: 'two' });
      await h.store.drop(a);
      assert.ok(!(await h.store.list()).some((entry) => entry.scope === a), 'a dropped scope is not listed');
      assert.deepEqual(await (await h.store.open(a, { tenant: 'one' })).search(vector!, 5), [], 'a dropped scope comes back empty');
      await h.store.drop(fresh());
    });

    it('grows past its first capacity and finds the true nearest neighbour for ≥ 95% of queries (3,000 vectors)', async () => {
      const index = await h.store.open(fresh(), {});
      const vectors = randomUnitVectors(3000, contractDimension, 5);
      for (const [label, vector] of vectors.entries()) await index.add(label, vector);
      assert.equal(index.size(), 3000);
      const queries = randomUnitVectors(200, contractDimension, 6);
      let found = 0;
      for (const query of queries) if ((await index.search(query, 1))[0]?.label === exactNearest(vectors, query)) found++;
      assert.ok(found / queries.length >= 0.95, `recall@1 ${found / queries.length}`);
      for (const [label, vector] of vectors.slice(0, 50).entries()) assert.equal((await index.search(vector, 1))[0]!.label, label, 'a stored vector finds itself');
    });

    it('releases a scope: persistent stores read it back on the next open, the others forget it', async () => {
      const scope = fresh();
      const index = await h.store.open(scope, { tenant: 't' });
      const vectors = randomUnitVectors(40, contractDimension, 10);
      for (const [label, vector] of vectors.entries()) await index.add(label, vector);
      await index.remove(5);
      await h.store.release(scope);
      await h.store.release(scope);
      await h.store.release(fresh());
      const reopened = await h.store.open(scope, { tenant: 't' });
      assert.notEqual(reopened, index, 'a released scope is a new index when opened again');
      if (h.store.capabilities.persistent) {
        assert.equal(reopened.size(), 39);
        assert.equal((await reopened.search(vectors[20]!, 1))[0]!.label, 20);
        assert.ok(!(await reopened.search(vectors[5]!, 40)).some((match) => match.label === 5), 'a removal survives the release');
        assert.deepEqual((await h.store.list()).find((entry) => entry.scope === scope)?.meta, { tenant: 't' });
      } else {
        assert.equal(reopened.size(), 0);
      }
    });

    it('reads back a scope opened while it was being released, with every change', async (t) => {
      if (!h.store.capabilities.persistent) return t.skip('not persistent');
      const scope = fresh();
      const index = await h.store.open(scope, {});
      const vectors = randomUnitVectors(30, contractDimension, 11);
      for (const [label, vector] of vectors.entries()) await index.add(label, vector);
      const [, reopened] = await Promise.all([h.store.release(scope), h.store.open(scope, {})]);
      assert.equal(reopened.size(), 30);
      assert.equal((await reopened.search(vectors[29]!, 1))[0]!.label, 29);
      await reopened.add(100, vectors[0]!);
      await h.store.release(scope);
      assert.equal((await h.store.open(scope, {})).size(), 31, 'a change made to the index opened meanwhile is kept');
    });

    describe('persistence', () => {
      it('keeps vectors, removals and meta across a restart', async (t) => {
        if (!h.store.capabilities.persistent || !h.reopen) return t.skip('not persistent');
        const scope = fresh();
        const index = await h.store.open(scope, { tenant: 't', embedder: 'e1' });
        const vectors = randomUnitVectors(300, contractDimension, 7);
        for (const [label, vector] of vectors.entries()) await index.add(label, vector);
        await index.remove(10);
        await h.store.close();
        const store = await h.reopen();
        h.store = store;
        assert.deepEqual((await store.list()).find((entry) => entry.scope === scope)?.meta, { tenant: 't', embedder: 'e1' });
        const reopened = await store.open(scope, { tenant: 't', embedder: 'e1' });
        assert.equal(reopened.size(), 299);
        assert.equal((await reopened.search(vectors[42]!, 1))[0]!.label, 42);
        assert.ok(!(await reopened.search(vectors[10]!, 300)).some((match) => match.label === 10), 'a removal survives the restart');
      });

      for (const how of ['delete', 'corrupt'] as const) {
        it(`rebuilds an index whose file was ${how === 'delete' ? 'deleted' : 'corrupted'} from the stored vectors`, async (t) => {
          if (!h.store.capabilities.persistent || !h.reopen || !h.damage) return t.skip('not persistent');
          const scope = fresh();
          const index = await h.store.open(scope, {});
          const vectors = randomUnitVectors(200, contractDimension, 8);
          for (const [label, vector] of vectors.entries()) await index.add(label, vector);
          await h.store.flush();
          await index.remove(3);
          await index.add(500, vectors[3]!);
          await h.store.close();
          await h.damage!(how);
          const store = await h.reopen();
          h.store = store;
          const rebuilt = await store.open(scope, {});
          assert.equal(rebuilt.size(), 200);
          assert.equal((await rebuilt.search(vectors[3]!, 1))[0]!.label, 500);
          assert.equal((await rebuilt.search(vectors[150]!, 1))[0]!.label, 150);
          await store.close();
          h.store = await h.reopen();
          assert.equal((await h.store.open(scope, {})).size(), 200, 'the rebuilt index was written back');
        });
      }

      it('keeps changes made after the last flush when the index file is older than the vector log', async (t) => {
        if (!h.store.capabilities.persistent || !h.reopen) return t.skip('not persistent');
        const scope = fresh();
        const index = await h.store.open(scope, {});
        const vectors = randomUnitVectors(50, contractDimension, 9);
        for (const [label, vector] of vectors.slice(0, 25).entries()) await index.add(label, vector);
        await h.store.flush();
        for (const [offset, vector] of vectors.slice(25).entries()) await index.add(25 + offset, vector);
        await h.store.close();
        h.store = await h.reopen();
        const reopened = await h.store.open(scope, {});
        assert.equal(reopened.size(), 50);
        assert.equal((await reopened.search(vectors[40]!, 1))[0]!.label, 40);
      });
    });
  });
}
