import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ChunkHit } from '../ports/collection-store.js';
import { fuse } from './reciprocal-rank.js';

const hit = (chunkId: string, score: number): ChunkHit => ({ chunkId, document: 'd.md', ordinal: 0, heading: null, text: chunkId, start: 0, end: 1, score });
const weights = { vector: 0.1, text: 1, method: 'score' as const };

it('score fusion lets the vector side settle a BM25 near-tie but not overturn a clear BM25 winner', () => {
  const nearTie = fuse([hit('b', 0.9), hit('a', 0.2)], [hit('a', 10), hit('b', 9.95)], 2, weights);
  assert.deepEqual(
    nearTie.map((fused) => fused.chunkId),
    ['b', 'a'],
  );
  const clear = fuse([hit('b', 0.9), hit('a', 0.2)], [hit('a', 10), hit('b', 5)], 2, weights);
  assert.deepEqual(
    clear.map((fused) => fused.chunkId),
    ['a', 'b'],
  );
  assert.deepEqual(clear[0]!.ranks, { vector: 2, text: 1 });
});

it('weighted reciprocal rank fusion counts places only, scaled by each list’s weight', () => {
  const fused = fuse([hit('b', 0.9), hit('a', 0.2)], [hit('a', 10), hit('b', 1)], 2, { vector: 1, text: 1 });
  assert.equal(fused[0]!.score, 1 / 61 + 1 / 62);
  const textFirst = fuse([hit('b', 0.9), hit('a', 0.2)], [hit('a', 10), hit('b', 1)], 2, { vector: 0.1, text: 1 });
  assert.equal(textFirst[0]!.chunkId, 'a');
});
