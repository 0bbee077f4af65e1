import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChunkFilter, ChunkHit, ChunkWrite, Collection, CollectionScope, CollectionStore, DocumentMetadata, StoredDocument } from '../../../core/ports/collection-store.js';
import { queryTerms } from '../../../core/retrieval/query-terms.js';
import { ChunkGraph, type ChunkGraphSettings } from './chunk-graph.js';

export interface SqliteCollectionStoreOptions {
  /** The file (created with its folder), or ':memory:'. */
  path: string;
  hnsw?: Partial<ChunkGraphSettings>;
}

interface ChunkRow {
  label: number;
  document: string;
  chunk_id: string;
  ordinal: number;
  heading: string | null;
  text: string;
  start_offset: number;
  end_offset: number;
}

const schema = readFileSync(new URL('./sqlite-collection-schema.sql', import.meta.url), 'utf8');
const chunkColumns = 'c.label, c.document, c.chunk_id, c.ordinal, c.heading, c.text, c.start_offset, c.end_offset';
/** A chunk is visible when none of its tags is missing from the key's (bound as a JSON array). */
const visibleTo = 'NOT EXISTS (SELECT 1 FROM json_each(c.access_tags) AS tag WHERE tag.value NOT IN (SELECT value FROM json_each(?)))';

/**
 * The embedded collection store: one SQLite file (WAL) for collections, documents and chunks,
 * FTS5 for BM25, and an HNSW graph per collection in memory, built from the stored vectors the
 * first time the collection is searched or written after a start.
 */
export class SqliteCollectionStore implements CollectionStore {
  readonly capabilities = { persistent: true, shared: false, textRanking: 'bm25' as const };
  private readonly database: Database.Database;
  private readonly graphs = new Map<string, ChunkGraph>();
  private readonly settings: ChunkGraphSettings;

  constructor(options: SqliteCollectionStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.database = new Database(options.path);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    this.database.exec(schema);
    this.settings = { m: 16, efConstruction: 100, efSearch: 64, ...options.hnsw };
  }

  async createCollection(collection: Collection): Promise<boolean> {
    const result = this.database
      .prepare('INSERT INTO collections (tenant, name, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(collection.tenant, collection.name, JSON.stringify(collection), collection.createdAt);
    return result.changes === 1;
  }

  async getCollection(scope: CollectionScope): Promise<Collection | undefined> {
    const body = this.database.prepare('SELECT body FROM collections WHERE tenant = ? AND name = ?').pluck().get(scope.tenant, scope.collection) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as Collection);
  }

  async listCollections(tenant: string): Promise<Collection[]> {
    const bodies = this.database.prepare('SELECT body FROM collections WHERE tenant = ? ORDER BY name').pluck().all(tenant) as string[];
    return bodies.map((body) => JSON.parse(body) as Collection);
  }

  async deleteCollection(scope: CollectionScope): Promise<boolean> {
    const deleted = this.database.transaction(() => {
      this.database.prepare('DELETE FROM chunks WHERE tenant = ? AND collection = ?').run(scope.tenant, scope.collection);
      this.database.prepare('DELETE FROM documents WHERE tenant = ? AND collection = ?').run(scope.tenant, scope.collection);
      return this.database.prepare('DELETE FROM collections WHERE tenant = ? AND name = ?').run(scope.tenant, scope.collection).changes === 1;
    })();
    this.graphs.delete(graphKey(scope));
    return deleted;
  }

  async listDocuments(scope: CollectionScope): Promise<StoredDocument[]> {
    const rows = this.database.prepare('SELECT * FROM documents WHERE tenant = ? AND collection = ? ORDER BY name').all(scope.tenant, scope.collection) as DocumentRow[];
    return rows.map(toDocument);
  }

  async getDocument(scope: CollectionScope, name: string): Promise<StoredDocument | undefined> {
    const row = this.database.prepare('SELECT * FROM documents WHERE tenant = ? AND collection = ? AND name = ?').get(scope.tenant, scope.collection, name) as
      | DocumentRow
      | undefined;
    return row ? toDocument(row) : undefined;
  }

  async chunkIds(scope: CollectionScope, document: string): Promise<Set<string>> {
    const ids = this.database
      .prepare('SELECT chunk_id FROM chunks WHERE tenant = ? AND collection = ? AND document = ?')
      .pluck()
      .all(scope.tenant, scope.collection, document) as string[];
    return new Set(ids);
  }

  async writeDocument(scope: CollectionScope, document: Omit<StoredDocument, 'chunks'>, chunks: readonly ChunkWrite[]): Promise<{ added: number; removed: number }> {
    const graph = this.graphs.get(graphKey(scope));
    const tags = JSON.stringify(document.accessTags);
    const metadata = JSON.stringify(document.metadata);
    const visibility = { accessTags: document.accessTags, metadata: document.metadata };
    const inserted: Array<{ label: number; vector: Float32Array }> = [];
    const kept: number[] = [];
    const removed: number[] = [];
    this.database.transaction(() => {
      const existing = new Map(
        (
          this.database
            .prepare('SELECT chunk_id, label FROM chunks WHERE tenant = ? AND collection = ? AND document = ?')
            .all(scope.tenant, scope.collection, document.name) as Array<{
            chunk_id: string;
            label: number;
          }>
        ).map((row) => [row.chunk_id, row.label]),
      );
      const wanted = new Set(chunks.map((chunk) => chunk.id));
      const remove = this.database.prepare('DELETE FROM chunks WHERE label = ?');
      for (const [id, label] of existing) {
        if (wanted.has(id)) continue;
        remove.run(label);
        removed.push(label);
      }
      const update = this.database.prepare('UPDATE chunks SET ordinal = ?, start_offset = ?, end_offset = ?, access_tags = ?, metadata = ? WHERE label = ?');
      const insert = this.database.prepare(
        `INSERT INTO chunks (tenant, collection, document, chunk_id, ordinal, heading, text, start_offset, end_offset, access_tags, metadata, vector)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const chunk of chunks) {
        const label = existing.get(chunk.id);
        if (label !== undefined) {
          update.run(chunk.ordinal, chunk.start, chunk.end, tags, metadata, label);
          kept.push(label);
          continue;
        }
        if (!chunk.vector) throw new Error(`chunk ${chunk.id} is new to ${document.name} and has no vector`);
        const result = insert.run(
          scope.tenant,
          scope.collection,
          document.name,
          chunk.id,
          chunk.ordinal,
          chunk.heading,
          chunk.text,
          chunk.start,
          chunk.end,
          tags,
          metadata,
          Buffer.from(chunk.vector.buffer, chunk.vector.byteOffset, chunk.vector.byteLength),
        );
        inserted.push({ label: Number(result.lastInsertRowid), vector: chunk.vector });
      }
      this.database
        .prepare(
          `INSERT INTO documents (tenant, collection, name, content_hash, chunks, characters, access_tags, metadata, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant, collection, name) DO UPDATE SET content_hash = excluded.content_hash, chunks = excluded.chunks, characters = excluded.characters,
             access_tags = excluded.access_tags, metadata = excluded.metadata, updated_at = excluded.updated_at`,
        )
        .run(scope.tenant, scope.collection, document.name, document.contentHash, chunks.length, document.characters, tags, metadata, document.updatedAt);
    })();
    // The graph follows the committed rows; one not built yet reads them when first needed.
    if (graph) {
      for (const label of removed) graph.remove(label);
      for (const label of kept) graph.update(label, visibility);
      for (const { label, vector } of inserted) graph.add(label, vector, visibility);
    }
    return { added: inserted.length, removed: removed.length };
  }

  async deleteDocument(scope: CollectionScope, name: string): Promise<boolean> {
    const graph = this.graphs.get(graphKey(scope));
    const labels = this.database.transaction(() => {
      const labels = this.database
        .prepare('DELETE FROM chunks WHERE tenant = ? AND collection = ? AND document = ? RETURNING label')
        .pluck()
        .all(scope.tenant, scope.collection, name) as number[];
      const deleted = this.database.prepare('DELETE FROM documents WHERE tenant = ? AND collection = ? AND name = ?').run(scope.tenant, scope.collection, name).changes;
      return deleted === 1 ? labels : undefined;
    })();
    if (graph) for (const label of labels ?? []) graph.remove(label);
    return labels !== undefined;
  }

  async searchVector(filter: ChunkFilter, vector: Float32Array, k: number): Promise<ChunkHit[]> {
    const matches = this.graph(filter, vector.length).search(vector, k, filter);
    if (matches.length === 0) return [];
    const rows = this.database
      .prepare(`SELECT ${chunkColumns} FROM chunks c WHERE c.label IN (SELECT value FROM json_each(?)) AND c.tenant = ? AND c.collection = ?`)
      .all(JSON.stringify(matches.map((match) => match.label)), filter.tenant, filter.collection) as ChunkRow[];
    const byLabel = new Map(rows.map((row) => [row.label, row]));
    return matches.flatMap((match) => {
      const row = byLabel.get(match.label);
      return row ? [toHit(row, match.similarity)] : [];
    });
  }

  async searchText(filter: ChunkFilter, query: string, k: number): Promise<ChunkHit[]> {
    const terms = queryTerms(query);
    if (terms.length === 0 || k <= 0) return [];
    const match = terms.map((term) => `"${term}"`).join(' OR ');
    const metadata = Object.entries(filter.metadata ?? {});
    const metadataSql = metadata.map(() => ' AND json_extract(c.metadata, ?) IS ?').join('');
    const rows = this.database
      .prepare(
        `SELECT ${chunkColumns}, -bm25(chunk_text, 0.5, 1.0) AS score FROM chunk_text JOIN chunks c ON c.label = chunk_text.rowid
         WHERE chunk_text MATCH ? AND c.tenant = ? AND c.collection = ? AND ${visibleTo}${metadataSql}
         ORDER BY score DESC LIMIT ?`,
      )
      .all(
        match,
        filter.tenant,
        filter.collection,
        JSON.stringify(filter.accessTags),
        ...metadata.flatMap(([field, value]) => [`$."${field.replaceAll('"', '')}"`, typeof value === 'boolean' ? Number(value) : value]),
        k,
      ) as Array<ChunkRow & { score: number }>;
    return rows.map((row) => toHit(row, row.score));
  }

  async close(): Promise<void> {
    this.graphs.clear();
    this.database.close();
  }

  /** The collection's graph, built from its stored vectors on first use. */
  private graph(scope: CollectionScope, dimension: number): ChunkGraph {
    const key = graphKey(scope);
    let graph = this.graphs.get(key);
    if (graph) return graph;
    const count = this.database.prepare('SELECT count(*) FROM chunks WHERE tenant = ? AND collection = ?').pluck().get(scope.tenant, scope.collection) as number;
    graph = new ChunkGraph(dimension, this.settings, Math.ceil(count * 1.25));
    const rows = this.database
      .prepare('SELECT label, vector, access_tags, metadata FROM chunks WHERE tenant = ? AND collection = ?')
      .iterate(scope.tenant, scope.collection) as IterableIterator<{ label: number; vector: Buffer; access_tags: string; metadata: string }>;
    for (const row of rows) {
      const vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
      graph.add(row.label, vector, { accessTags: JSON.parse(row.access_tags) as string[], metadata: JSON.parse(row.metadata) as DocumentMetadata });
    }
    this.graphs.set(key, graph);
    return graph;
  }
}

interface DocumentRow {
  name: string;
  content_hash: string;
  chunks: number;
  characters: number;
  access_tags: string;
  metadata: string;
  updated_at: number;
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    name: row.name,
    contentHash: row.content_hash,
    chunks: row.chunks,
    characters: row.characters,
    accessTags: JSON.parse(row.access_tags) as string[],
    metadata: JSON.parse(row.metadata) as DocumentMetadata,
    updatedAt: row.updated_at,
  };
}

function toHit(row: ChunkRow, score: number): ChunkHit {
  return {
    chunkId: row.chunk_id,
    document: row.document,
    ordinal: row.ordinal,
    heading: row.heading,
    text: row.text,
    start: row.start_offset,
    end: row.end_offset,
    score,
  };
}

function graphKey(scope: CollectionScope): string {
  return `${scope.tenant}\0${scope.collection}`;
}
