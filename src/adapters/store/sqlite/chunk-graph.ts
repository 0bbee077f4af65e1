import hnswlib from 'hnswlib-node';
import type { ChunkFilter, DocumentMetadata } from '../../../core/ports/collection-store.js';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

export interface ChunkGraphSettings {
  m: number;
  efConstruction: number;
  /** Candidates examined per search (raised to k when k is larger). */
  efSearch: number;
}

/**
 * m 32 / efConstruction 200 / efSearch 400. At m 16 / 100 / 64 the graph over hashed n-gram
 * vectors (all of a query's neighbours at similar, low similarity) returned 75% of the exact
 * top 10 on the development corpus and missed almost every chunk of a small blind corpus mixed
 * into it; at these settings 95% and 85%, for ~1 ms more per search (bench:retrieval, docs/retrieval.md).
 */
export const defaultChunkGraphSettings: ChunkGraphSettings = { m: 32, efConstruction: 200, efSearch: 400 };

interface Visibility {
  accessTags: readonly string[];
  metadata: DocumentMetadata;
}

/**
 * One collection's HNSW graph (inner product on unit vectors: distance = 1 − cosine), with each
 * label's access tags and metadata in memory so a search filters during the graph walk
 * (hnswlib's filter callback) rather than dropping results afterwards: k visible chunks come
 * back whenever k exist.
 */
export class ChunkGraph {
  private readonly graph: Graph;
  private readonly visibility = new Map<number, Visibility>();
  /** Labels carrying any access tag: while none do and no metadata is asked for, the walk needs no filter (hnswlib's faster unfiltered search). */
  private tagged = 0;
  private readonly query: number[];

  constructor(
    readonly dimension: number,
    private readonly settings: ChunkGraphSettings,
    capacity: number,
  ) {
    this.graph = new HierarchicalNSW('ip', dimension);
    this.graph.initIndex({ maxElements: Math.max(64, capacity), m: settings.m, efConstruction: settings.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    this.graph.setEf(settings.efSearch);
    this.query = new Array<number>(dimension).fill(0);
  }

  has(label: number): boolean {
    return this.visibility.has(label);
  }

  get size(): number {
    return this.visibility.size;
  }

  add(label: number, vector: Float32Array, visibility: Visibility): void {
    if (this.graph.getCurrentCount() >= this.graph.getMaxElements() && this.graph.getCurrentCount() === this.visibility.size) {
      this.graph.resizeIndex(this.graph.getMaxElements() * 2);
    }
    this.graph.addPoint(Array.from(vector), label, true);
    this.remember(label, visibility);
  }

  /** New tags or metadata of a kept chunk (its vector is unchanged). */
  update(label: number, visibility: Visibility): void {
    if (this.visibility.has(label)) this.remember(label, visibility);
  }

  remove(label: number): void {
    const known = this.visibility.get(label);
    if (!known) return;
    if (known.accessTags.length > 0) this.tagged--;
    this.visibility.delete(label);
    this.graph.markDelete(label);
  }

  private remember(label: number, visibility: Visibility): void {
    const known = this.visibility.get(label);
    if (known && known.accessTags.length > 0) this.tagged--;
    if (visibility.accessTags.length > 0) this.tagged++;
    this.visibility.set(label, visibility);
  }

  search(vector: Float32Array, k: number, filter: ChunkFilter): Array<{ label: number; similarity: number }> {
    const count = Math.min(k, this.visibility.size);
    if (count <= 0) return [];
    for (let i = 0; i < this.dimension; i++) this.query[i] = vector[i]!;
    const allowed = new Set(filter.accessTags);
    const wanted = Object.entries(filter.metadata ?? {});
    const visible = (label: number) => {
      const entry = this.visibility.get(label);
      if (!entry) return false;
      for (const tag of entry.accessTags) if (!allowed.has(tag)) return false;
      for (const [field, value] of wanted) if (entry.metadata[field] !== value) return false;
      return true;
    };
    const ef = Math.max(count, this.settings.efSearch);
    this.graph.setEf(ef);
    const result = this.tagged === 0 && wanted.length === 0 ? this.graph.searchKnn(this.query, count) : this.graph.searchKnn(this.query, count, visible);
    const matches: Array<{ label: number; similarity: number }> = [];
    for (let i = 0; i < result.neighbors.length; i++) matches.push({ label: result.neighbors[i]!, similarity: 1 - result.distances[i]! });
    return matches.sort((a, b) => b.similarity - a.similarity);
  }
}
