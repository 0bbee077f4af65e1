import type { ChunkHit } from '../ports/collection-store.js';

/** Cormack et al.'s constant: damps the head of each list so one ranker's first place cannot outvote agreement. */
export const rrfConstant = 60;

export interface FusedHit extends ChunkHit {
  /** Place (from 1) in each ranked list, null where the list did not return the chunk. */
  ranks: { vector: number | null; text: number | null };
}

/** How much each ranker's places count in the fusion. */
/** A search result: a chunk with, when fused, its rank in each list. */
export type SearchHit = ChunkHit & { ranks?: FusedHit['ranks'] };

export interface FusionWeights {
  vector: number;
  text: number;
  /** Reciprocal ranks (`rank`, the default) or best-normalised scores (`score`). */
  method?: 'rank' | 'score';
}

/** Fuses the two lists the way `weights.method` says. */
export function fuse(vectorHits: readonly ChunkHit[], textHits: readonly ChunkHit[], k: number, weights: FusionWeights): FusedHit[] {
  return weights.method === 'score' ? fuseByScore(vectorHits, textHits, k, weights) : fuseByReciprocalRank(vectorHits, textHits, k, weights);
}

/**
 * Weighted reciprocal rank fusion: a chunk scores Σ weight / (rrfConstant + rank) over the lists
 * that returned it. Scores of different rankers (cosine vs BM25) are never compared, only places.
 * Ties keep the vector list's order. Linear in the lists' lengths.
 */
export function fuseByReciprocalRank(vectorHits: readonly ChunkHit[], textHits: readonly ChunkHit[], k: number, weights: FusionWeights = { vector: 1, text: 1 }): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  const keyOf = (hit: ChunkHit) => `${hit.document}\0${hit.chunkId}`;
  vectorHits.forEach((hit, index) => {
    fused.set(keyOf(hit), { ...hit, score: weights.vector / (rrfConstant + index + 1), ranks: { vector: index + 1, text: null } });
  });
  textHits.forEach((hit, index) => {
    const key = keyOf(hit);
    const contribution = weights.text / (rrfConstant + index + 1);
    const known = fused.get(key);
    if (known) {
      known.score += contribution;
      known.ranks.text = index + 1;
    } else fused.set(key, { ...hit, score: contribution, ranks: { vector: null, text: index + 1 } });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}

/**
 * Score fusion: each list's scores divided by its best (so the top hit of each ranker is 1 and
 * the others keep their distance from it), then Σ weight × normalised score. Unlike ranks, this
 * keeps how much better a ranker found one chunk than the next: a BM25 near-tie is settled by
 * the vector side, a clear BM25 winner is not overturned by a weak vector preference. Linear.
 */
export function fuseByScore(vectorHits: readonly ChunkHit[], textHits: readonly ChunkHit[], k: number, weights: FusionWeights): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  const keyOf = (hit: ChunkHit) => `${hit.document}\0${hit.chunkId}`;
  const add = (hits: readonly ChunkHit[], weight: number, list: 'vector' | 'text') => {
    const best = hits.reduce((max, hit) => Math.max(max, hit.score), 0);
    hits.forEach((hit, index) => {
      const contribution = best > 0 ? (weight * Math.max(0, hit.score)) / best : 0;
      const known = fused.get(keyOf(hit));
      if (known) {
        known.score += contribution;
        known.ranks[list] = index + 1;
      } else fused.set(keyOf(hit), { ...hit, score: contribution, ranks: { vector: list === 'vector' ? index + 1 : null, text: list === 'text' ? index + 1 : null } });
    });
  };
  add(vectorHits, weights.vector, 'vector');
  add(textHits, weights.text, 'text');
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
