import { dirname, join } from 'node:path';
import { openPool } from '../adapters/store/postgres/open-pool.js';
import { withTransaction } from '../adapters/store/postgres/with-transaction.js';
import { HashedNgramEmbedder } from '../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { ProviderEmbedder } from '../adapters/embedders/provider/provider-embedder.js';
import { BruteForceVectorIndexStore } from '../adapters/vector-index/brute-force/brute-force-vector-index.js';
import { HnswVectorIndexStore } from '../adapters/vector-index/hnsw/hnsw-vector-index-store.js';
import type { SqlClient } from '../adapters/vector-index/pgvector/pgvector-collection-store.js';
import { PgvectorVectorIndexStore } from '../adapters/vector-index/pgvector/pgvector-vector-index-store.js';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { CallContext } from '../core/gateway/call-context.js';
import type { Embedder } from '../core/ports/embedder.js';
import type { Provider } from '../core/ports/provider.js';
import type { ResponseCache } from '../core/ports/response-cache.js';
import type { VectorIndexStore } from '../core/ports/vector-index.js';
import { defaultSimilarityThreshold, SemanticCache, uncalibratedThreshold } from '../core/semantic-cache/semantic-cache.js';

/** Whether any alias uses the semantic cache: globally on, or on for one alias. */
export function semanticCacheWanted(config: ParsedConfig): boolean {
  return config.cache.semantic.enabled || Object.values(config.models).some((model) => model.semanticCache?.enabled === true);
}

/** A PostgreSQL database given in code instead of a URL (tests on PGlite, which no URL reaches). */
export interface SqlDatabase {
  client: SqlClient;
  transaction?: <T>(work: (client: SqlClient) => Promise<T>) => Promise<T>;
}

/** The shared index and its answers' cache, opened before the gateway is built. */
export interface SharedSemanticIndex {
  indexes: VectorIndexStore;
  payloads: ResponseCache;
}

/**
 * With `cache.semantic.index.driver: pgvector` (and the cache wanted), opens the shared index on
 * `index.url` (default `store.url`), or on `database` when one is given; refuses to start
 * (CONFIG_INVALID, naming the `vector` extension) when pgvector is missing. Otherwise undefined.
 */
export async function openSharedSemanticIndex(config: ParsedConfig, env: NodeJS.ProcessEnv, database?: SqlDatabase): Promise<SharedSemanticIndex | undefined> {
  const settings = config.cache.semantic;
  if (settings.index.driver !== 'pgvector' || !semanticCacheWanted(config)) return undefined;
  const dimension = settings.embedder.dimension;
  const common = { dimension, efSearch: settings.index.efSearch, maxEntries: settings.maxEntries };
  if (database) {
    const indexes = await PgvectorVectorIndexStore.open({ ...common, client: database.client, ...(database.transaction ? { transaction: database.transaction } : {}) });
    return { indexes, payloads: indexes.payloads() };
  }
  const url = settings.index.url ?? (config.store.driver === 'postgres' ? config.store.url : undefined);
  if (!url) throw new BreakwaterError('CONFIG_INVALID', 'cache.semantic.index.driver: pgvector needs cache.semantic.index.url (or a PostgreSQL store.url).');
  const pool = openPool({ connectionString: resolveSecret(url, 'cache.semantic.index.url', env), max: 4 });
  // One connection per transaction, heard while checked out (a database restart ends it with an error event).
  const transaction = <T>(work: (client: SqlClient) => Promise<T>): Promise<T> => withTransaction(pool, work);
  const indexes = await PgvectorVectorIndexStore.open({ ...common, client: pool, transaction, close: () => pool.end() }).catch(async (error) => {
    await pool.end();
    throw error;
  });
  return { indexes, payloads: indexes.payloads() };
}

/**
 * The semantic cache from `cache.semantic`: its embedder (built in, or an embeddings alias's
 * first deployment), its vector indexes (HNSW persisted next to the SQLite file by default,
 * or exact, or the shared pgvector one opened by openSharedSemanticIndex) and the answers' cache.
 */
export function buildSemanticCache(config: ParsedConfig, providers: ReadonlyMap<string, Provider>, payloads: ResponseCache, shared?: SharedSemanticIndex): SemanticCache {
  const settings = config.cache.semantic;
  let embedder: Embedder;
  if (settings.embedder.driver === 'hashed-ngram') embedder = new HashedNgramEmbedder({ dimension: settings.embedder.dimension });
  else {
    const deployment = config.models[settings.embedder.model]?.deployments[0];
    if (!deployment) {
      throw new BreakwaterError('CONFIG_INVALID', `cache.semantic.embedder.model: no model alias "${settings.embedder.model}"; name an embeddings model under models.`);
    }
    const model = new ProviderEmbedder({ provider: providers.get(deployment.provider)!, model: deployment.model, dimension: settings.embedder.dimension });
    // What only the configuration knows about the model: whether it is multilingual, and its calibrated threshold.
    embedder = {
      id: model.id,
      dimension: model.dimension,
      multilingual: settings.embedder.multilingual,
      ...(settings.embedder.threshold !== undefined ? { defaultThreshold: settings.embedder.threshold } : {}),
      embed: (texts, signal) => model.embed(texts, signal),
    };
  }
  let indexes: VectorIndexStore;
  if (shared) {
    // Answers next to the vectors: every API node reads what any one stored.
    indexes = shared.indexes;
    payloads = shared.payloads;
  } else if (settings.index.driver === 'pgvector') {
    throw new BreakwaterError('CONFIG_INVALID', 'cache.semantic.index.driver: pgvector: the shared index was not opened (openSharedSemanticIndex).');
  } else if (settings.index.driver === 'exact') indexes = new BruteForceVectorIndexStore(embedder.dimension);
  else {
    const directory = settings.index.directory ?? (config.store.driver === 'sqlite' ? join(dirname(config.store.path), 'semantic-cache') : undefined);
    indexes = new HnswVectorIndexStore({
      dimension: embedder.dimension,
      ...(directory ? { directory, flushIntervalMs: settings.index.flushIntervalSeconds * 1000 } : {}),
      m: settings.index.m,
      efConstruction: settings.index.efConstruction,
      efSearch: settings.index.efSearch,
    });
  }
  return new SemanticCache({ embedder, indexes, payloads, maxEntries: settings.maxEntries, maxScopes: settings.maxScopes, maxStoredScopes: settings.maxStoredScopes });
}

/**
 * The threshold of a call's alias: its own setting, else the global one, else the embedder's
 * calibrated one (built in: defaultSimilarityThreshold; a model: its configured threshold, else
 * uncalibratedThreshold); undefined when off for it.
 */
export function semanticThresholds(config: ParsedConfig): (context: CallContext) => number | undefined {
  const settings = config.cache.semantic;
  const embedderThreshold = settings.embedder.driver === 'hashed-ngram' ? defaultSimilarityThreshold : (settings.embedder.threshold ?? uncalibratedThreshold);
  return (context) => {
    const own = config.models[context.requestedAlias]?.semanticCache;
    const enabled = own?.enabled ?? (own?.threshold !== undefined ? true : settings.enabled);
    return enabled ? (own?.threshold ?? settings.threshold ?? embedderThreshold) : undefined;
  };
}
