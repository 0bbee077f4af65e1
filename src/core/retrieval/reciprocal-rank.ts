import type { ChunkHit } from '../ports/collection-store.js';

/** Cormack et al.'s constant: damps the head of each list so one ranker's first place cannot outvote agreement. */
export const rrfConstant = 60;

export interface FusedHit extends ChunkHit {
  /** Place (from 1) in each ranked list, null where the list did not return the chunk. */
  ranks: { vector: number | null; text: number | null };
}

/** How much each ranker's places count in the fusion. */
export interface FusionWeights {
  vector: number;
  text: number;
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
