import hnswlib from 'hnswlib-node';
import type { VectorIndex, VectorMatch } from '../../../core/ports/vector-index.js';
import { assertDimension, assertLabel } from '../vector-checks.js';
import type { VectorLog } from './vector-log.js';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

export interface HnswSettings {
  /** Links per node: 16 is hnswlib's recommended middle ground of recall, memory and speed. */
  m: number;
  efConstruction: number;
  /** Candidates examined per search (raised to k when k is larger). */
  efSearch: number;
  initialCapacity: number;
}

/**
 * One scope's HNSW graph (hnswlib, inner-product space on normalised vectors, so distance is
 * 1 − cosine). Removal marks the node deleted and its slot is reused by the next add; the
 * graph doubles when full. With a log, every change is also recorded for rebuilds.
 */
export class HnswVectorIndex implements VectorIndex {
  private readonly live = new Set<number>();
  /** hnswlib takes plain arrays: one reused for every query spares an allocation per search. */
  private readonly query: number[];
  /** Set while the graph is being written to disk: changes wait for it, searches do not. */
  writing: Promise<unknown> | undefined;

  constructor(
    readonly dimension: number,
    private readonly settings: HnswSettings,
    readonly graph: Graph,
    readonly log: VectorLog | undefined,
  ) {
    this.query = new Array<number>(dimension).fill(0);
  }

  static create(dimension: number, settings: HnswSettings, log: VectorLog | undefined, capacity = settings.initialCapacity): HnswVectorIndex {
    const graph = new HierarchicalNSW('ip', dimension);
    graph.initIndex({ maxElements: Math.max(16, capacity), m: settings.m, efConstruction: settings.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    graph.setEf(settings.efSearch);
    return new HnswVectorIndex(dimension, settings, graph, log);
  }

  /** Takes a graph read from disk whose live labels are known from the log. */
  static loaded(dimension: number, settings: HnswSettings, graph: Graph, live: Iterable<number>, log: VectorLog): HnswVectorIndex {
    graph.setEf(settings.efSearch);
    const index = new HnswVectorIndex(dimension, settings, graph, log);
    for (const label of live) index.live.add(label);
    return index;
  }

  size(): number {
    return this.live.size;
  }

  labels(): number[] {
    return [...this.live].sort((a, b) => a - b);
  }

  async add(label: number, vector: Float32Array): Promise<void> {
    assertLabel(label);
    assertDimension(vector, this.dimension);
    if (this.writing) await this.writing;
    this.insert(label, vector);
    this.log?.add(label, vector);
  }

  /** Adds to the graph only (rebuilds replay the log through this). */
  insert(label: number, vector: Float32Array): void {
    const point = Array.from(vector);
    if (this.live.has(label)) {
      this.graph.addPoint(point, label, false);
      return;
    }
    const deleted = this.graph.getCurrentCount() - this.live.size;
    if (deleted === 0 && this.graph.getCurrentCount() >= this.graph.getMaxElements()) this.graph.resizeIndex(this.graph.getMaxElements() * 2);
    try {
      this.graph.addPoint(point, label, true);
    } catch {
      // The label is still in the graph, marked deleted: revive it and overwrite its vector.
      this.graph.unmarkDelete(label);
      this.graph.addPoint(point, label, false);
    }
    this.live.add(label);
  }

  async remove(label: number): Promise<void> {
    if (!this.live.has(label)) return;
    if (this.writing) await this.writing;
    if (!this.live.delete(label)) return;
    this.graph.markDelete(label);
    this.log?.remove(label);
  }

  async search(vector: Float32Array, k: number): Promise<VectorMatch[]> {
    assertDimension(vector, this.dimension);
    const count = Math.min(k, this.live.size);
    if (count <= 0) return [];
    if (count > this.settings.efSearch) this.graph.setEf(count);
    for (let i = 0; i < this.dimension; i++) this.query[i] = vector[i]!;
    const result = this.graph.searchKnn(this.query, count);
    if (count > this.settings.efSearch) this.graph.setEf(this.settings.efSearch);
    const matches: VectorMatch[] = [];
    for (let i = 0; i < result.neighbors.length; i++) matches.push({ label: result.neighbors[i]!, similarity: 1 - result.distances[i]! });
    return matches;
  }

  /** The live vectors, read back from the graph (for log compaction). */
  *vectors(): Generator<[number, Float32Array]> {
    for (const label of this.labels()) yield [label, Float32Array.from(this.graph.getPoint(label))];
  }
}
