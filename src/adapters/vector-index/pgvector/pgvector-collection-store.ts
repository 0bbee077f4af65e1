import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ChunkFilter, ChunkHit, ChunkWrite, Collection, CollectionScope, CollectionStore, DocumentMetadata, StoredDocument } from '../../../core/ports/collection-store.js';
import { queryTerms } from '../../../core/retrieval/query-terms.js';

/** What the adapter needs of a PostgreSQL client: `pg`'s Pool and PGlite both fit. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export interface PgvectorCollectionStoreOptions {
  client: SqlClient;
  /** Runs `work` on one connection inside BEGIN … COMMIT (default: BEGIN/COMMIT on `client`, right for a single connection such as PGlite's). */
  transaction?: <T>(work: (client: SqlClient) => Promise<T>) => Promise<T>;
  /** Releases the client (a pool's end). */
  close?: () => Promise<void>;
  /** hnsw.ef_search of vector searches (pgvector's default is 40). */
  efSearch?: number;
}

/*
 * Tables (created when missing). Inputs: none. Outputs: retrieval_collections and
 * retrieval_documents, and one chunk table per embedding dimension, retrieval_chunks_<d>, with
 * the vector (HNSW, cosine), a generated tsvector ('simple' configuration: no stemming, any
 * language) under a GIN index, and the document's tenant, collection, access tags and metadata
 * repeated on every row so a search filters inside its one query.
 */
const schema = `
CREATE TABLE IF NOT EXISTS retrieval_collections (
  tenant text NOT NULL, name text NOT NULL, body jsonb NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (tenant, name));
CREATE TABLE IF NOT EXISTS retrieval_documents (
  tenant text NOT NULL, collection text NOT NULL, name text NOT NULL, content_hash text NOT NULL, chunks integer NOT NULL,
  characters integer NOT NULL, access_tags text[] NOT NULL, metadata jsonb NOT NULL, updated_at bigint NOT NULL,
  PRIMARY KEY (tenant, collection, name));
CREATE TABLE IF NOT EXISTS retrieval_source_rounds (name text PRIMARY KEY, next_run_at bigint NOT NULL);`;

function chunkTable(dimension: number): string {
  return `retrieval_chunks_${dimension}`;
}

function chunkSchema(dimension: number): string {
  const table = chunkTable(dimension);
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  label bigserial PRIMARY KEY, tenant text NOT NULL, collection text NOT NULL, document text NOT NULL, chunk_id text NOT NULL,
  ordinal integer NOT NULL, heading text, text text NOT NULL, start_offset integer NOT NULL, end_offset integer NOT NULL,
  access_tags text[] NOT NULL, metadata jsonb NOT NULL, embedding vector(${dimension}) NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(heading, '') || ' ' || text)) STORED,
  UNIQUE (tenant, collection, document, chunk_id));
CREATE INDEX IF NOT EXISTS ${table}_scope ON ${table} (tenant, collection);
CREATE INDEX IF NOT EXISTS ${table}_embedding ON ${table} USING hnsw (embedding vector_cosine_ops);
CREATE INDEX IF NOT EXISTS ${table}_tsv ON ${table} USING gin (tsv);`;
}

const hitColumns = 'chunk_id, document, ordinal, heading, text, start_offset, end_offset';

interface HitRow {
  chunk_id: string;
  document: string;
  ordinal: number;
  heading: string | null;
  text: string;
  start_offset: number;
  end_offset: number;
  score: number;
}

/**
 * The scale-out collection store: PostgreSQL with pgvector. Vector searches use the HNSW index
 * with pgvector's iterative scan, so a tenant, access-tag or metadata filter in the WHERE clause
 * still yields k rows when nearer rows are filtered out; text searches rank with ts_rank_cd.
 */
export class PgvectorCollectionStore implements CollectionStore {
  readonly capabilities = { persistent: true, shared: true, textRanking: 'ts_rank_cd' as const };
  private readonly dimensions = new Map<string, number>();
  private readonly tables = new Set<number>();

  private constructor(private readonly options: PgvectorCollectionStoreOptions) {}

  /** Creates the extension and tables when missing; without pgvector, refuses with CONFIG_INVALID naming it. */
  static async open(options: PgvectorCollectionStoreOptions): Promise<PgvectorCollectionStore> {
    try {
      await options.client.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (error) {
      throw new BreakwaterError(
        'CONFIG_INVALID',
        `retrieval needs the PostgreSQL extension "vector" (pgvector), and CREATE EXTENSION vector failed: ${(error as Error).message}. Install pgvector on the server (e.g. the postgresql-<version>-pgvector package) and have a superuser run CREATE EXTENSION vector, or set retrieval.enabled: false.`,
        { cause: error },
      );
    }
    await runStatements(options.client, schema);
    return new PgvectorCollectionStore(options);
  }

  async claimSourceRound(source: string, everyMs: number, now: number): Promise<boolean> {
    // One statement: of several nodes, only the first past next_run_at moves it (the row lock orders them).
    const { rows } = await this.options.client.query(
      `INSERT INTO retrieval_source_rounds (name, next_run_at) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at WHERE retrieval_source_rounds.next_run_at <= $3 RETURNING name`,
      [source, now + everyMs, now],
    );
    return rows.length === 1;
  }

  async createCollection(collection: Collection): Promise<boolean> {
    await this.ensureTable(collection.embedder.dimension);
    const { rows } = await this.options.client.query(
      'INSERT INTO retrieval_collections (tenant, name, body, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING name',
      [collection.tenant, collection.name, JSON.stringify(collection), collection.createdAt],
    );
    return rows.length === 1;
  }

  async getCollection(scope: CollectionScope): Promise<Collection | undefined> {
    const { rows } = await this.options.client.query<{ body: Collection }>('SELECT body FROM retrieval_collections WHERE tenant = $1 AND name = $2', [
      scope.tenant,
      scope.collection,
    ]);
    return rows[0]?.body;
  }

  async listCollections(tenant: string): Promise<Collection[]> {
    const { rows } = await this.options.client.query<{ body: Collection }>('SELECT body FROM retrieval_collections WHERE tenant = $1 ORDER BY name', [tenant]);
    return rows.map((row) => row.body);
  }

  async deleteCollection(scope: CollectionScope): Promise<boolean> {
    const dimension = await this.dimensionOf(scope);
    if (dimension === undefined) return false;
    this.dimensions.delete(scopeKey(scope));
    return this.transaction(async (client) => {
      await client.query(`DELETE FROM ${chunkTable(dimension)} WHERE tenant = $1 AND collection = $2`, [scope.tenant, scope.collection]);
      await client.query('DELETE FROM retrieval_documents WHERE tenant = $1 AND collection = $2', [scope.tenant, scope.collection]);
      const { rows } = await client.query('DELETE FROM retrieval_collections WHERE tenant = $1 AND name = $2 RETURNING name', [scope.tenant, scope.collection]);
      return rows.length === 1;
    });
  }

  async listDocuments(scope: CollectionScope): Promise<StoredDocument[]> {
    const { rows } = await this.options.client.query<DocumentRow>('SELECT * FROM retrieval_documents WHERE tenant = $1 AND collection = $2 ORDER BY name', [
      scope.tenant,
      scope.collection,
    ]);
    return rows.map(toDocument);
  }

  async getDocument(scope: CollectionScope, name: string): Promise<StoredDocument | undefined> {
    const { rows } = await this.options.client.query<DocumentRow>('SELECT * FROM retrieval_documents WHERE tenant = $1 AND collection = $2 AND name = $3', [
      scope.tenant,
      scope.collection,
      name,
    ]);
    return rows[0] ? toDocument(rows[0]) : undefined;
  }

  async chunkIds(scope: CollectionScope, document: string): Promise<Set<string>> {
    const dimension = await this.dimensionOf(scope);
    if (dimension === undefined) return new Set();
    const { rows } = await this.options.client.query<{ chunk_id: string }>(
      `SELECT chunk_id FROM ${chunkTable(dimension)} WHERE tenant = $1 AND collection = $2 AND document = $3`,
      [scope.tenant, scope.collection, document],
    );
    return new Set(rows.map((row) => row.chunk_id));
  }

  async writeDocument(scope: CollectionScope, document: Omit<StoredDocument, 'chunks'>, chunks: readonly ChunkWrite[]): Promise<{ added: number; removed: number }> {
    const dimension = await this.requireDimension(scope);
    const table = chunkTable(dimension);
    const metadata = JSON.stringify(document.metadata);
    return this.transaction(async (client) => {
      const { rows: existing } = await client.query<{ chunk_id: string }>(`SELECT chunk_id FROM ${table} WHERE tenant = $1 AND collection = $2 AND document = $3 FOR UPDATE`, [
        scope.tenant,
        scope.collection,
        document.name,
      ]);
      const had = new Set(existing.map((row) => row.chunk_id));
      const wanted = chunks.map((chunk) => chunk.id);
      const { rows: removed } = await client.query(
        `DELETE FROM ${table} WHERE tenant = $1 AND collection = $2 AND document = $3 AND NOT (chunk_id = ANY($4::text[])) RETURNING label`,
        [scope.tenant, scope.collection, document.name, wanted],
      );
      let added = 0;
      for (const chunk of chunks) {
        if (had.has(chunk.id)) {
          await client.query(
            `UPDATE ${table} SET ordinal = $5, start_offset = $6, end_offset = $7, access_tags = $8, metadata = $9 WHERE tenant = $1 AND collection = $2 AND document = $3 AND chunk_id = $4`,
            [scope.tenant, scope.collection, document.name, chunk.id, chunk.ordinal, chunk.start, chunk.end, document.accessTags, metadata],
          );
          continue;
        }
        if (!chunk.vector) throw new Error(`chunk ${chunk.id} is new to ${document.name} and has no vector`);
        await client.query(
          `INSERT INTO ${table} (tenant, collection, document, chunk_id, ordinal, heading, text, start_offset, end_offset, access_tags, metadata, embedding)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::vector)`,
          [
            scope.tenant,
            scope.collection,
            document.name,
            chunk.id,
            chunk.ordinal,
            chunk.heading,
            chunk.text,
            chunk.start,
            chunk.end,
            document.accessTags,
            metadata,
            vectorLiteral(chunk.vector),
          ],
        );
        added++;
      }
      await client.query(
        `INSERT INTO retrieval_documents (tenant, collection, name, content_hash, chunks, characters, access_tags, metadata, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant, collection, name) DO UPDATE SET content_hash = excluded.content_hash, chunks = excluded.chunks, characters = excluded.characters,
           access_tags = excluded.access_tags, metadata = excluded.metadata, updated_at = excluded.updated_at`,
        [scope.tenant, scope.collection, document.name, document.contentHash, chunks.length, document.characters, document.accessTags, metadata, document.updatedAt],
      );
      return { added, removed: removed.length };
    });
  }

  async deleteDocument(scope: CollectionScope, name: string): Promise<boolean> {
    const dimension = await this.dimensionOf(scope);
    if (dimension === undefined) return false;
    return this.transaction(async (client) => {
      await client.query(`DELETE FROM ${chunkTable(dimension)} WHERE tenant = $1 AND collection = $2 AND document = $3`, [scope.tenant, scope.collection, name]);
      const { rows } = await client.query('DELETE FROM retrieval_documents WHERE tenant = $1 AND collection = $2 AND name = $3 RETURNING name', [
        scope.tenant,
        scope.collection,
        name,
      ]);
      return rows.length === 1;
    });
  }

  async searchVector(filter: ChunkFilter, vector: Float32Array, k: number): Promise<ChunkHit[]> {
    const dimension = await this.dimensionOf(filter);
    if (dimension === undefined || dimension !== vector.length || k <= 0) return [];
    const ef = Math.max(k, this.options.efSearch ?? 40);
    const rows = await this.transaction(async (client) => {
      // Iterative scans (pgvector 0.8) keep walking the graph until k rows pass the WHERE clause.
      await client.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      const { rows } = await client.query<HitRow>(
        `SELECT * FROM (
           SELECT ${hitColumns}, embedding <=> $1::vector AS distance FROM ${chunkTable(dimension)}
           WHERE tenant = $2 AND collection = $3 AND access_tags <@ $4::text[] AND metadata @> $5::jsonb
           ORDER BY embedding <=> $1::vector LIMIT $6) nearest
         ORDER BY distance`,
        [vectorLiteral(vector), filter.tenant, filter.collection, [...filter.accessTags], JSON.stringify(filter.metadata ?? {}), k],
      );
      return rows as Array<HitRow & { distance: number }>;
    });
    return rows.map((row) => toHit(row, 1 - Number(row.distance)));
  }

  async searchText(filter: ChunkFilter, query: string, k: number): Promise<ChunkHit[]> {
    const terms = queryTerms(query);
    const dimension = await this.dimensionOf(filter);
    if (terms.length === 0 || dimension === undefined || k <= 0) return [];
    const { rows } = await this.options.client.query<HitRow>(
      `SELECT ${hitColumns}, ts_rank_cd(tsv, query) AS score FROM ${chunkTable(dimension)}, to_tsquery('simple', $1) AS query
       WHERE tsv @@ query AND tenant = $2 AND collection = $3 AND access_tags <@ $4::text[] AND metadata @> $5::jsonb
       ORDER BY score DESC, label LIMIT $6`,
      [terms.join(' | '), filter.tenant, filter.collection, [...filter.accessTags], JSON.stringify(filter.metadata ?? {}), k],
    );
    return rows.map((row) => toHit(row, Number(row.score)));
  }

  async close(): Promise<void> {
    await this.options.close?.();
  }

  private async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    if (this.options.transaction) return this.options.transaction(work);
    const { client } = this.options;
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  private async ensureTable(dimension: number): Promise<void> {
    if (this.tables.has(dimension)) return;
    await runStatements(this.options.client, chunkSchema(dimension));
    this.tables.add(dimension);
  }

  private async dimensionOf(scope: CollectionScope): Promise<number | undefined> {
    const key = scopeKey(scope);
    const known = this.dimensions.get(key);
    if (known !== undefined) return known;
    const collection = await this.getCollection(scope);
    if (!collection) return undefined;
    await this.ensureTable(collection.embedder.dimension);
    this.dimensions.set(key, collection.embedder.dimension);
    return collection.embedder.dimension;
  }

  private async requireDimension(scope: CollectionScope): Promise<number> {
    const dimension = await this.dimensionOf(scope);
    if (dimension === undefined) throw new BreakwaterError('COLLECTION_NOT_FOUND', `No collection "${scope.collection}" for this tenant.`, { retryable: false });
    return dimension;
  }
}

interface DocumentRow {
  name: string;
  content_hash: string;
  chunks: number;
  characters: number;
  access_tags: string[];
  metadata: DocumentMetadata;
  updated_at: string | number;
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    name: row.name,
    contentHash: row.content_hash,
    chunks: row.chunks,
    characters: row.characters,
    accessTags: row.access_tags,
    metadata: row.metadata,
    updatedAt: Number(row.updated_at),
  };
}

function toHit(row: HitRow, score: number): ChunkHit {
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

/** One statement per query: extended-protocol clients (pg with parameters, PGlite) refuse several at once. */
async function runStatements(client: SqlClient, script: string): Promise<void> {
  for (const statement of script.split(';').map((part) => part.trim())) if (statement !== '') await client.query(statement);
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

function scopeKey(scope: CollectionScope): string {
  return `${scope.tenant}\0${scope.collection}`;
}
