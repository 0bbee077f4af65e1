import type { VectorIndex, VectorIndexCapabilities, VectorIndexStore, VectorMatch } from '../../../core/ports/vector-index.js';
import { assertDimension, assertLabel } from '../vector-checks.js';
import { TopK } from './top-k.js';

/** Exact search by scanning every vector: the reference the approximate adapters are measured against. */
export class BruteForceVectorIndex implements VectorIndex {
  private vectors: Float32Array;
  private readonly slotOf = new Map<number, number>();
  private labelAt: number[] = [];

  constructor(
    readonly dimension: number,
    initialCapacity = 1024,
  ) {
    this.vectors = new Float32Array(initialCapacity * dimension);
  }

  size(): number {
    return this.labelAt.length;
  }

  labels(): number[] {
    return [...this.labelAt].sort((a, b) => a - b);
  }

  async add(label: number, vector: Float32Array): Promise<void> {
    assertLabel(label);
    assertDimension(vector, this.dimension);
    let slot = this.slotOf.get(label);
    if (slot === undefined) {
      slot = this.labelAt.length;
      if ((slot + 1) * this.dimension > this.vectors.length) {
        const grown = new Float32Array(this.vectors.length * 2 || this.dimension * 16);
        grown.set(this.vectors);
        this.vectors = grown;
      }
      this.slotOf.set(label, slot);
      this.labelAt.push(label);
    }
    this.vectors.set(vector, slot * this.dimension);
  }

  async remove(label: number): Promise<void> {
    const slot = this.slotOf.get(label);
    if (slot === undefined) return;
    // Swap the last vector into the hole so the live vectors stay contiguous.
    const last = this.labelAt.length - 1;
    const lastLabel = this.labelAt[last]!;
    if (slot !== last) {
      this.vectors.copyWithin(slot * this.dimension, last * this.dimension, (last + 1) * this.dimension);
      this.labelAt[slot] = lastLabel;
      this.slotOf.set(lastLabel, slot);
    }
    this.labelAt.pop();
    this.slotOf.delete(label);
  }

  async search(vector: Float32Array, k: number): Promise<VectorMatch[]> {
    assertDimension(vector, this.dimension);
    const best = new TopK(Math.min(k, this.labelAt.length));
    const { dimension, vectors } = this;
    for (let slot = 0; slot < this.labelAt.length; slot++) {
      const offset = slot * dimension;
      let dot = 0;
      for (let i = 0; i < dimension; i++) dot += vectors[offset + i]! * vector[i]!;
      best.offer(this.labelAt[slot]!, dot);
    }
    return best.sorted();
  }
}

/** In-memory store of brute-force indexes: exact, nothing persists. */
export class BruteForceVectorIndexStore implements VectorIndexStore {
  readonly capabilities: VectorIndexCapabilities = { persistent: false, exact: true };
  private readonly indexes = new Map<string, { index: BruteForceVectorIndex; meta: Record<string, string> }>();

  constructor(readonly dimension: number) {}

  async open(scope: string, meta: Readonly<Record<string, string>>): Promise<VectorIndex> {
    const held = this.indexes.get(scope);
    if (held) {
      held.meta = { ...meta };
      return held.index;
    }
    const index = new BruteForceVectorIndex(this.dimension, 16);
    this.indexes.set(scope, { index, meta: { ...meta } });
    return index;
  }

  async list(): Promise<Array<{ scope: string; meta: Record<string, string> }>> {
    return [...this.indexes].map(([scope, { meta }]) => ({ scope, meta: { ...meta } }));
  }

  async drop(scope: string): Promise<void> {
    this.indexes.delete(scope);
  }

  /** Nothing persists: a released scope is gone. */
  async release(scope: string): Promise<void> {
    this.indexes.delete(scope);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.indexes.clear();
  }
}
