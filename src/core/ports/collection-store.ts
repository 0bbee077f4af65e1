/** Metadata of a document: flat, JSON-safe values that searches filter on by equality. */
export type DocumentMetadata = Record<string, string | number | boolean>;

/** What turns a collection's chunks into vectors; fixed when the collection is created. */
export type CollectionEmbedder =
  /** The built-in hashing embedder (no model, no model call; for tests and offline boxes). */
  | { kind: 'builtin'; dimension: number }
  /** An embeddings alias of `models`, called through the gateway as the ingesting key. */
  | { kind: 'model'; model: string; dimension: number };

export interface Collection {
  tenant: string;
  name: string;
  description: string;
  embedder: CollectionEmbedder;
  chunking: { maxTokens: number; overlapTokens: number };
  /** JSON Schema every document's metadata must satisfy; null accepts any flat object. */
  metadataSchema: Record<string, unknown> | null;
  /** Tags every document of the collection carries in addition to its own. */
  accessTags: string[];
  createdAt: number;
}

export interface StoredDocument {
  name: string;
  /** SHA-256 of the document's text: an identical re-ingest changes nothing. */
  contentHash: string;
  chunks: number;
  /** Characters of text indexed. */
  characters: number;
  accessTags: string[];
  metadata: DocumentMetadata;
  updatedAt: number;
}

/** A chunk as written: its content hash, place and text. `vector` only on chunks the index does not hold yet. */
export interface ChunkWrite {
  id: string;
  ordinal: number;
  heading: string | null;
  text: string;
  start: number;
  end: number;
  vector?: Float32Array;
}

/** A tenant's collection. Everything below is scoped by both, so no call can reach another tenant's rows. */
export interface CollectionScope {
  tenant: string;
  collection: string;
}

/**
 * Which chunks a search may see, applied inside the query (SQL WHERE, or the HNSW graph walk's
 * filter), never to the results afterwards: a chunk is visible when it belongs to the scope,
 * every one of its access tags is in `accessTags`, and its document's metadata has each
 * `metadata` field with that value.
 */
export interface ChunkFilter extends CollectionScope {
  accessTags: readonly string[];
  metadata?: DocumentMetadata;
}

export interface ChunkHit {
  chunkId: string;
  document: string;
  ordinal: number;
  heading: string | null;
  text: string;
  start: number;
  end: number;
  /** Cosine similarity for vector searches, the engine's relevance (higher is better) for text searches. */
  score: number;
}

export interface CollectionStoreCapabilities {
  /** Survives a restart of the process. */
  persistent: boolean;
  /** Several processes may share it. */
  shared: boolean;
  /** How `searchText` ranks: SQLite FTS5's BM25, or PostgreSQL's ts_rank_cd over a tsvector. */
  textRanking: 'bm25' | 'ts_rank_cd';
}

/**
 * Collections, their documents and the documents' chunks with vectors and a full-text index:
 * what retrieval reads and writes. Adapters: SQLite (FTS5 + an in-process HNSW graph per
 * collection) and PostgreSQL (tsvector + pgvector HNSW).
 */
export interface CollectionStore {
  readonly capabilities: CollectionStoreCapabilities;
  /** False when the name is taken in the tenant (the stored collection is left as it is). */
  createCollection(collection: Collection): Promise<boolean>;
  getCollection(scope: CollectionScope): Promise<Collection | undefined>;
  listCollections(tenant: string): Promise<Collection[]>;
  /** Removes the collection with its documents and chunks; false when there was none. */
  deleteCollection(scope: CollectionScope): Promise<boolean>;
  listDocuments(scope: CollectionScope): Promise<StoredDocument[]>;
  getDocument(scope: CollectionScope, name: string): Promise<StoredDocument | undefined>;
  /** Chunk ids the document has now (empty for a new document): what a re-ingest compares against. */
  chunkIds(scope: CollectionScope, document: string): Promise<Set<string>>;
  /**
   * Makes the document's chunks exactly `chunks`, in one transaction: chunks whose id it lacks are
   * inserted (each must carry `vector`), kept ones get their new place, tags and metadata, the
   * rest are deleted. Returns how many were inserted and deleted.
   */
  writeDocument(scope: CollectionScope, document: Omit<StoredDocument, 'chunks'>, chunks: readonly ChunkWrite[]): Promise<{ added: number; removed: number }>;
  /** Removes a document and its chunks; false when there was none. */
  deleteDocument(scope: CollectionScope, name: string): Promise<boolean>;
  /** At most `k` visible chunks nearest to `vector` (unit length), most similar first. */
  searchVector(filter: ChunkFilter, vector: Float32Array, k: number): Promise<ChunkHit[]>;
  /** At most `k` visible chunks matching words of `query`, best first. */
  searchText(filter: ChunkFilter, query: string, k: number): Promise<ChunkHit[]>;
  /**
   * Claims the watched source's round due at `now`: true for exactly one caller among every
   * process sharing the store, which owns the round; the next is due at `now + everyMs`.
   */
  claimSourceRound(source: string, everyMs: number, now: number): Promise<boolean>;
  close(): Promise<void>;
}
