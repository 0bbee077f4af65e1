import { dirname, join } from 'node:path';
import { openPool } from '../adapters/store/postgres/open-pool.js';
import { withTransaction } from '../adapters/store/postgres/with-transaction.js';
import { HashedNgramEmbedder } from '../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { GuardedDocumentFetcher } from '../adapters/loaders/guarded-document-fetcher.js';
import { IsolatedDocumentReader } from '../adapters/loaders/isolated-document-reader.js';
import { SqliteCollectionStore } from '../adapters/store/sqlite/sqlite-collection-store.js';
import { PgvectorCollectionStore } from '../adapters/vector-index/pgvector/pgvector-collection-store.js';
import { TargetPolicy } from '../adapters/webhooks/ssrf-guard.js';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import type { Gateway } from '../core/gateway/gateway.js';
import type { Embedder } from '../core/ports/embedder.js';
import type { CollectionStore } from '../core/ports/collection-store.js';
import { ChunkEmbedder } from '../core/retrieval/chunk-embedder.js';
import { IngestJobHandler } from '../core/retrieval/ingest-job.js';

export interface RetrievalParts {
  store: CollectionStore;
  embedder: ChunkEmbedder;
  ingest: IngestJobHandler;
  close(): Promise<void>;
}

/** Whether this configuration runs retrieval: on by default in the embedded shape, opt-in with PostgreSQL. */
export function retrievalEnabled(config: ParsedConfig): boolean {
  return config.retrieval.enabled ?? config.store.driver === 'sqlite';
}

/**
 * Opens the collection store the config implies (its own SQLite file beside the store, or
 * pgvector on the PostgreSQL store, which refuses to start without the extension) and the
 * ingest job's parts.
 */
export async function openRetrieval(config: ParsedConfig, env: NodeJS.ProcessEnv, gateway: Gateway): Promise<RetrievalParts> {
  const settings = config.retrieval;
  let store: CollectionStore;
  if (config.store.driver === 'sqlite') {
    const path = settings.path ?? (config.store.path === ':memory:' ? ':memory:' : join(dirname(config.store.path), 'retrieval.sqlite'));
    store = new SqliteCollectionStore({ path, hnsw: settings.hnsw });
  } else {
    const pool = openPool({ connectionString: resolveSecret(config.store.url, 'store.url', env), max: 4 });
    store = await PgvectorCollectionStore.open({
      client: pool,
      // One connection per transaction, heard while checked out (a database restart ends it with an error event).
      transaction: (work) => withTransaction(pool, work),
      close: () => pool.end(),
      efSearch: settings.hnsw.efSearch,
    }).catch(async (error) => {
      await pool.end();
      throw error;
    });
  }
  const builtins = new Map<number, Embedder>();
  const builtin = (dimension: number) => {
    let embedder = builtins.get(dimension);
    if (!embedder) builtins.set(dimension, (embedder = new HashedNgramEmbedder({ dimension })));
    return embedder;
  };
  const embedder = new ChunkEmbedder(gateway, builtin);
  const documents = new IsolatedDocumentReader(config.jobs.documents);
  const ingest = new IngestJobHandler({
    collections: store,
    embedder,
    documents,
    limits: config.jobs.documents,
    ...(settings.fetchUrls ? { fetcher: new GuardedDocumentFetcher({ policy: new TargetPolicy({ allow: config.webhooks.allow }) }) } : {}),
  });
  return {
    store,
    embedder,
    ingest,
    async close() {
      await documents.close();
      await store.close();
    },
  };
}
