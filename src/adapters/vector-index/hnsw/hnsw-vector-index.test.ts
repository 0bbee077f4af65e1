import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HnswVectorIndex } from './hnsw-vector-index.js';

const dimension = 16;
const settings = { m: 8, efConstruction: 32, efSearch: 32, initialCapacity: 64 };

/** A distinct unit vector per label. */
function vectorOf(label: number): Float32Array {
  const vector = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) vector[i] = Math.sin(label * 12.9898 + i * 78.233) + (i === label % dimension ? 2 : 0);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

describe('HnswVectorIndex', () => {
  it('adds in new slots, and once removed nodes outnumber the live ones, rebuilds the graph of the live vectors alone, changes made meanwhile included (regression: a cache at its cap re-linked a removed node per add, ~2.5 ms)', async () => {
    const index = HnswVectorIndex.create(dimension, settings, undefined);
    for (let label = 0; label < 3000; label++) await index.add(label, vectorOf(label));
    for (let label = 0; label < 1900; label++) await index.remove(label);
    assert.equal(index.graph.getCurrentCount(), 3000, 'removed nodes stay until the rebuild');
    const before = index.graph;
    await index.add(3000, vectorOf(3000));
    assert.equal(index.graph.getCurrentCount(), 3001, 'the add took a slot of its own');
    // While the new graph is built: an add, a removal of a live label, and a search on the old graph.
    await index.add(3001, vectorOf(3001));
    await index.remove(2500);
    assert.equal((await index.search(vectorOf(2600), 1))[0]?.label, 2600);
    await index.rebuilt();
    assert.notEqual(index.graph, before, 'the rebuilt graph took its place');
    assert.ok(index.graph.getCurrentCount() <= index.size() + 1, `${index.graph.getCurrentCount()} nodes for ${index.size()} live`);
    assert.equal(index.size(), 1101);
    for (const label of [1900, 2499, 2501, 2999, 3000, 3001]) assert.equal((await index.search(vectorOf(label), 1))[0]?.label, label);
    const found = new Set((await index.search(vectorOf(2500), 20)).map((match) => match.label));
    assert.ok(!found.has(2500), 'a label removed during the rebuild is not found');
    for (const label of found) assert.ok(label >= 1900, `removed label ${label} found`);
  });
});
