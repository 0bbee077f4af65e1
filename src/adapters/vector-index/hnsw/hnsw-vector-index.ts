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
 * 1 − cosine). Removal marks the node deleted; the graph doubles when full. With a log, every
 * change is also recorded for rebuilds from disk.
 *
 * An add never takes a removed node's slot: hnswlib's replacement re-links the old node's
 * neighbourhood and cost ~2.5 ms per add at 10,000 entries against ~0.5 ms for a new node (a
 * cache at its maxEntries removes one entry per add). Once removed nodes outnumber half the
 * live ones (and 1,024), a fresh graph of the live vectors is built beside it a slice at a
 * time, between other work, and takes its place: about two extra adds per removal, for a graph
 * of at most ~1.5x its live nodes (and, while a rebuild runs, a second one of ~1x).
 */
export class HnswVectorIndex implements VectorIndex {
  private readonly live = new Set<number>();
  /** hnswlib takes plain arrays: one reused for every query spares an allocation per search. */
  private readonly query: number[];
  /** Set while the graph is being written to disk: changes wait for it, searches do not. */
  writing: Promise<unknown> | undefined;
  /** The graph being built of the live vectors, and the labels changes have put in it already. */
  private rebuild: { graph: Graph; placed: Set<number>; done: Promise<void> } | undefined;

  constructor(
    readonly dimension: number,
    private readonly settings: HnswSettings,
    private current: Graph,
    readonly log: VectorLog | undefined,
  ) {
    this.query = new Array<number>(dimension).fill(0);
  }

  /** Resolves once no rebuild of the graph is under way. */
  rebuilt(): Promise<void> {
    return this.rebuild?.done ?? Promise.resolve();
  }

  /** The graph searches read (and the store writes to disk). */
  get graph(): Graph {
    return this.current;
  }

  static create(dimension: number, settings: HnswSettings, log: VectorLog | undefined, capacity = settings.initialCapacity): HnswVectorIndex {
    return new HnswVectorIndex(dimension, settings, emptyGraph(dimension, settings, capacity), log);
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
    place(this.current, label, point);
    if (this.rebuild) {
      place(this.rebuild.graph, label, point);
      this.rebuild.placed.add(label);
    }
    this.live.add(label);
    const removed = this.current.getCurrentCount() - this.live.size;
    if (!this.rebuild && removed > Math.max(1024, this.live.size / 2)) this.startRebuild();
  }

  async remove(label: number): Promise<void> {
    if (!this.live.has(label)) return;
    if (this.writing) await this.writing;
    if (!this.live.delete(label)) return;
    this.current.markDelete(label);
    if (this.rebuild?.placed.delete(label)) this.rebuild.graph.markDelete(label);
    this.log?.remove(label);
  }

  /** Copies the live vectors into a fresh graph, ~2 ms of work per turn of the event loop, then swaps it in. */
  private startRebuild(): void {
    let resolve = () => {};
    const done = new Promise<void>((settle) => {
      resolve = settle;
    });
    const rebuild = { graph: emptyGraph(this.dimension, this.settings, Math.ceil(this.live.size * 1.25)), placed: new Set<number>(), done };
    this.rebuild = rebuild;
    const labels = [...this.live];
    let next = 0;
    const step = () => {
      const until = performance.now() + 2;
      for (; next < labels.length && performance.now() < until; next++) {
        const label = labels[next]!;
        if (!this.live.has(label) || rebuild.placed.has(label)) continue;
        place(rebuild.graph, label, this.current.getPoint(label));
        rebuild.placed.add(label);
      }
      if (next < labels.length) setImmediate(step);
      else {
        this.current = rebuild.graph;
        this.rebuild = undefined;
        resolve();
      }
    };
    setImmediate(step);
  }

  async search(vector: Float32Array, k: number): Promise<VectorMatch[]> {
    assertDimension(vector, this.dimension);
    const count = Math.min(k, this.live.size);
    if (count <= 0) return [];
    const graph = this.current;
    if (count > this.settings.efSearch) graph.setEf(count);
    for (let i = 0; i < this.dimension; i++) this.query[i] = vector[i]!;
    const result = graph.searchKnn(this.query, count);
    if (count > this.settings.efSearch) graph.setEf(this.settings.efSearch);
    const matches: VectorMatch[] = [];
    for (let i = 0; i < result.neighbors.length; i++) matches.push({ label: result.neighbors[i]!, similarity: 1 - result.distances[i]! });
    return matches;
  }

  /** The live vectors, read back from the graph (for log compaction). */
  *vectors(): Generator<[number, Float32Array]> {
    for (const label of this.labels()) yield [label, Float32Array.from(this.current.getPoint(label))];
  }
}

function emptyGraph(dimension: number, settings: HnswSettings, capacity: number): Graph {
  const graph = new HierarchicalNSW('ip', dimension);
  graph.initIndex({ maxElements: Math.max(16, capacity), m: settings.m, efConstruction: settings.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
  graph.setEf(settings.efSearch);
  return graph;
}

/** Adds a node in a slot of its own (never a removed node's), or overwrites the label's vector. */
function place(graph: Graph, label: number, point: number[]): void {
  if (graph.getCurrentCount() >= graph.getMaxElements()) graph.resizeIndex(graph.getMaxElements() * 2);
  try {
    graph.addPoint(point, label, false);
  } catch {
    // The label is still in the graph, marked deleted: revive it and overwrite its vector.
    graph.unmarkDelete(label);
    graph.addPoint(point, label, false);
  }
}
