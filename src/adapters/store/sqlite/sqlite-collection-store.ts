import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChunkFilter, ChunkHit, ChunkWrite, Collection, CollectionScope, CollectionStore, DocumentMetadata, StoredDocument } from '../../../core/ports/collection-store.js';
import { queryTerms } from '../../../core/retrieval/query-terms.js';
import { ChunkGraph, type ChunkGraphSettings, defaultChunkGraphSettings } from './chunk-graph.js';
import { accessSetTerm, filterTerms } from './chunk-filter-terms.js';
import { ChunkTextIndex, type ChunkTextIndexSettings } from './chunk-text-index.js';

export interface SqliteCollectionStoreOptions {
  /** The file (created with its folder), or ':memory:'. */
  path: string;
  hnsw?: Partial<ChunkGraphSettings>;
  text?: Partial<ChunkTextIndexSettings>;
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

/** Rows added to a graph being built between two turns of the event loop (~10 ms at m 32). */
const graphPage = 256;
const schema = readFileSync(new URL('./sqlite-collection-schema.sql', import.meta.url), 'utf8');
const chunkColumns = 'c.label, c.document, c.chunk_id, c.ordinal, c.heading, c.text, c.start_offset, c.end_offset';
/**
 * The embedded collection store: one SQLite file (WAL) for collections, documents and chunks,
 * an FTS5 table per collection for BM25 (chunk-text-index.ts), and an HNSW graph per collection in memory, built from the stored vectors the
 * first time the collection is searched or written after a start.
 */
export class SqliteCollectionStore implements CollectionStore {
  readonly capabilities = { persistent: true, shared: false, textRanking: 'bm25' as const };
  private readonly database: Database.Database;
  private readonly graphs = new Map<string, ChunkGraph>();
  /** Graphs still being read from the stored vectors after a start. */
  private readonly building = new Map<string, Promise<void>>();
  private closed = false;
  private readonly settings: ChunkGraphSettings;
  private readonly text: ChunkTextIndex;

  constructor(options: SqliteCollectionStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.database = new Database(options.path);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    const upgrade = this.database.transaction(() => {
      const older = dropSharedTextIndex(this.database);
      this.database.exec(schema);
      return older;
    })();
    this.database.exec('CREATE TABLE IF NOT EXISTS source_rounds (name TEXT PRIMARY KEY, next_run_at INTEGER NOT NULL)');
    this.text = new ChunkTextIndex(this.database, options.text);
    if (upgrade) this.indexAllText();
    this.settings = { ...defaultChunkGraphSettings, ...options.hnsw };
  }

  async claimSourceRound(source: string, everyMs: number, now: number): Promise<boolean> {
    // One statement: of several processes on the file, only the first past next_run_at moves it.
    const result = this.database
      .prepare(
        'INSERT INTO source_rounds (name, next_run_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at WHERE source_rounds.next_run_at <= ?',
      )
      .run(source, now + everyMs, now);
    return result.changes === 1;
  }

  async createCollection(collection: Collection): Promise<boolean> {
    return this.database.transaction(() => {
      const result = this.database
        .prepare('INSERT INTO collections (tenant, name, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(collection.tenant, collection.name, JSON.stringify(collection), collection.createdAt);
      if (result.changes === 1) this.text.create({ tenant: collection.tenant, collection: collection.name });
      return result.changes === 1;
    })();
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
      this.database.prepare('DELETE FROM access_sets WHERE tenant = ? AND collection = ?').run(scope.tenant, scope.collection);
      this.text.drop(scope);
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
    const filters = filterTerms(document.accessTags, document.metadata);
    const visibility = { accessTags: document.accessTags, metadata: document.metadata };
    const inserted: Array<{ label: number; vector: Float32Array }> = [];
    const kept: number[] = [];
    const removed: number[] = [];
    this.database.transaction(() => {
      const existing = new Map(
        (
          this.database
            .prepare('SELECT chunk_id, label, heading, text, filters FROM chunks WHERE tenant = ? AND collection = ? AND document = ?')
            .all(scope.tenant, scope.collection, document.name) as Array<{
            chunk_id: string;
            label: number;
            heading: string | null;
            text: string;
            filters: string;
          }>
        ).map((row) => [row.chunk_id, row]),
      );
      const wanted = new Set(chunks.map((chunk) => chunk.id));
      const remove = this.database.prepare('DELETE FROM chunks WHERE label = ?');
      for (const [id, row] of existing) {
        if (wanted.has(id)) continue;
        remove.run(row.label);
        this.text.remove(scope, row.label);
        removed.push(row.label);
      }
      const update = this.database.prepare('UPDATE chunks SET ordinal = ?, start_offset = ?, end_offset = ?, access_tags = ?, metadata = ?, filters = ? WHERE label = ?');
      const insert = this.database.prepare(
        `INSERT INTO chunks (tenant, collection, document, chunk_id, ordinal, heading, text, start_offset, end_offset, access_tags, metadata, vector, filters)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.database
        .prepare('INSERT INTO access_sets (tenant, collection, term, tags) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(scope.tenant, scope.collection, accessSetTerm(document.accessTags), tags);
      for (const chunk of chunks) {
        const row = existing.get(chunk.id);
        if (row !== undefined) {
          update.run(chunk.ordinal, chunk.start, chunk.end, tags, metadata, filters, row.label);
          if (row.filters !== filters) this.text.refilter(scope, row.label, row.heading, row.text, filters);
          kept.push(row.label);
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
          filters,
        );
        inserted.push({ label: Number(result.lastInsertRowid), vector: chunk.vector });
        this.text.add(scope, Number(result.lastInsertRowid), chunk.heading, chunk.text, filters);
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
      for (const label of labels) this.text.remove(scope, label);
      const deleted = this.database.prepare('DELETE FROM documents WHERE tenant = ? AND collection = ? AND name = ?').run(scope.tenant, scope.collection, name).changes;
      return deleted === 1 ? labels : undefined;
    })();
    if (graph) for (const label of labels ?? []) graph.remove(label);
    return labels !== undefined;
  }

  async searchVector(filter: ChunkFilter, vector: Float32Array, k: number): Promise<ChunkHit[]> {
    const matches = (await this.graph(filter, vector.length)).search(vector, k, filter);
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

  /**
   * One FTS5 MATCH on the collection's own table does the access check and the metadata filter
   * (chunk-text-index.ts), so BM25 ranks only visible chunks and only the top `k` rows are read
   * from the chunks table.
   */
  async searchText(filter: ChunkFilter, query: string, k: number): Promise<ChunkHit[]> {
    const matches = this.text.search(filter, queryTerms(query), this.accessSets(filter), filter.metadata ?? {}, k);
    if (matches.length === 0) return [];
    const rows = this.database
      .prepare(`SELECT ${chunkColumns} FROM chunks c WHERE c.label IN (SELECT value FROM json_each(?)) AND c.tenant = ? AND c.collection = ?`)
      .all(JSON.stringify(matches.map((match) => match.label)), filter.tenant, filter.collection) as ChunkRow[];
    const byLabel = new Map(rows.map((row) => [row.label, row]));
    return matches.flatMap((match) => {
      const row = byLabel.get(match.label);
      return row ? [toHit(row, match.score)] : [];
    });
  }

  /** Terms of the collection's access-tag sets, split by whether the filter holds every tag of the set. */
  private accessSets(filter: ChunkFilter): { visible: string[]; hidden: string[] } {
    const allowed = new Set(filter.accessTags);
    const sets = this.database.prepare('SELECT term, tags FROM access_sets WHERE tenant = ? AND collection = ?').all(filter.tenant, filter.collection) as Array<{
      term: string;
      tags: string;
    }>;
    const visible: string[] = [];
    const hidden: string[] = [];
    for (const set of sets) ((JSON.parse(set.tags) as string[]).every((tag) => allowed.has(tag)) ? visible : hidden).push(set.term);
    return { visible, hidden };
  }

  /** Fills every collection's text index from the chunks (after an upgrade from the shared index). */
  private indexAllText(): void {
    this.database.transaction(() => {
      for (const scope of this.database.prepare('SELECT tenant, name AS collection FROM collections').all() as CollectionScope[]) {
        this.text.create(scope);
        const rows = this.database
          .prepare('SELECT label, heading, text, access_tags, metadata FROM chunks WHERE tenant = ? AND collection = ?')
          .iterate(scope.tenant, scope.collection) as IterableIterator<{ label: number; heading: string | null; text: string; access_tags: string; metadata: string }>;
        const insertSet = this.database.prepare('INSERT INTO access_sets (tenant, collection, term, tags) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
        const setFilters = this.database.prepare('UPDATE chunks SET filters = ? WHERE label = ?');
        for (const row of [...rows]) {
          const tags = JSON.parse(row.access_tags) as string[];
          const filters = filterTerms(tags, JSON.parse(row.metadata) as DocumentMetadata);
          setFilters.run(filters, row.label);
          insertSet.run(scope.tenant, scope.collection, accessSetTerm(tags), row.access_tags);
          this.text.add(scope, row.label, row.heading, row.text, filters);
        }
      }
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.building.values()]);
    this.graphs.clear();
    this.database.close();
  }

  /**
   * The collection's graph, built from its stored vectors on first use after a start, in pages
   * of `graphPage` rows with the event loop let go between them: at 100k chunks the build is
   * ~1 minute of CPU, and other requests must not wait for it. Writes meanwhile change the
   * partial graph directly (it is in `graphs` from the start); a page skips labels already in.
   */
  private async graph(scope: CollectionScope, dimension: number): Promise<ChunkGraph> {
    const key = graphKey(scope);
    const graph = this.graphs.get(key);
    if (graph) {
      await this.building.get(key);
      return graph;
    }
    const count = this.database.prepare('SELECT count(*) FROM chunks WHERE tenant = ? AND collection = ?').pluck().get(scope.tenant, scope.collection) as number;
    const fresh = new ChunkGraph(dimension, this.settings, Math.ceil(count * 1.25));
    this.graphs.set(key, fresh);
    const build = this.fill(scope, fresh).finally(() => this.building.delete(key));
    this.building.set(key, build);
    await build;
    return fresh;
  }

  private async fill(scope: CollectionScope, graph: ChunkGraph): Promise<void> {
    const page = this.database.prepare('SELECT label, vector, access_tags, metadata FROM chunks WHERE tenant = ? AND collection = ? AND label > ? ORDER BY label LIMIT ?');
    let after = -1;
    for (;;) {
      if (this.closed || this.graphs.get(graphKey(scope)) !== graph) return;
      const rows = page.all(scope.tenant, scope.collection, after, graphPage) as Array<{ label: number; vector: Buffer; access_tags: string; metadata: string }>;
      for (const row of rows) {
        if (graph.has(row.label)) continue;
        const vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
        graph.add(row.label, vector, { accessTags: JSON.parse(row.access_tags) as string[], metadata: JSON.parse(row.metadata) as DocumentMetadata });
      }
      if (rows.length < graphPage) return;
      after = rows.at(-1)!.label;
      await new Promise((resolve) => setImmediate(resolve));
    }
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

/**
 * Files written before the per-collection text indexes had one FTS5 table over every chunk
 * (chunk_text, kept by triggers) and no `filters` column: drop that index and its triggers and
 * add the column. True when it did, so the caller fills the new indexes from the chunks.
 */
function dropSharedTextIndex(database: Database.Database): boolean {
  const columns = database.prepare("SELECT name FROM pragma_table_info('chunks')").pluck().all() as string[];
  if (columns.length === 0 || columns.includes('filters')) return false;
  database.exec(`DROP TRIGGER IF EXISTS chunks_insert; DROP TRIGGER IF EXISTS chunks_delete; DROP TABLE IF EXISTS chunk_text;
    ALTER TABLE chunks ADD COLUMN filters TEXT NOT NULL DEFAULT ''`);
  return true;
}
