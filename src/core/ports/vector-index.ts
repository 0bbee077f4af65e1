/** One neighbour of a query: the label it was added under and its cosine similarity (-1…1). */
export interface VectorMatch {
  label: number;
  similarity: number;
}

/**
 * Nearest-neighbour search over L2-normalised vectors of one scope. Labels are integers in
 * 0…2^32-1 chosen by the caller; adding a label again replaces its vector.
 */
export interface VectorIndex {
  readonly dimension: number;
  /** Live vectors (removed ones excluded). */
  size(): number;
  /** Live labels in ascending order (after a restart: what was persisted). */
  labels(): number[];
  add(label: number, vector: Float32Array): Promise<void>;
  /** Removing a label that is not there is fine. */
  remove(label: number): Promise<void>;
  /** At most `k` live matches, most similar first. */
  search(vector: Float32Array, k: number): Promise<VectorMatch[]>;
}

export interface VectorIndexCapabilities {
  /** Survives a restart of the process (`open` finds what was added before). */
  persistent: boolean;
  /** Search returns the true nearest neighbours, not an approximation. */
  exact: boolean;
  /** Other processes add and remove vectors of the same scopes (a database): what this process holds is not all there is. */
  shared?: boolean;
}

/**
 * A set of named vector indexes, one per scope, so a search can never return a vector of
 * another scope. `meta` is a small JSON-safe record kept with the index (who owns it, which
 * embedder made its vectors) and listed back after a restart.
 */
export interface VectorIndexStore {
  readonly capabilities: VectorIndexCapabilities;
  readonly dimension: number;
  /** The scope's index, created empty when there is none yet; `meta` replaces the stored one. */
  open(scope: string, meta: Readonly<Record<string, string>>): Promise<VectorIndex>;
  /** Every scope held, persisted ones included, with its meta. */
  list(): Promise<Array<{ scope: string; meta: Record<string, string> }>>;
  /** Forgets a scope and its vectors; dropping an unknown scope is fine. */
  drop(scope: string): Promise<void>;
  /**
   * Writes the scope to storage and frees its memory; the next `open` reads it back. Where
   * nothing persists, the scope is forgotten, as by `drop`. Releasing an unknown scope is fine.
   */
  release(scope: string): Promise<void>;
  /** Writes changed indexes to storage (a no-op where nothing persists). */
  flush(): Promise<void>;
  /** Flushes, then releases everything. */
  close(): Promise<void>;
  /** A label no process has handed out yet (shared stores), instead of a per-process counter. */
  nextLabel?(): Promise<number>;
}
