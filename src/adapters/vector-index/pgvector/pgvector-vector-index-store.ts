import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ResponseCache } from '../../../core/ports/response-cache.js';
import type { VectorIndex, VectorIndexCapabilities, VectorIndexStore, VectorMatch } from '../../../core/ports/vector-index.js';
import { assertDimension, assertLabel } from '../vector-checks.js';
import type { SqlClient } from './pgvector-collection-store.js';

export interface PgvectorIndexStoreOptions {
  client: SqlClient;
  dimension: number;
  /** Runs `work` on one connection inside BEGIN … COMMIT (default: BEGIN/COMMIT on `client`, right for a single connection such as PGlite's). */
  transaction?: <T>(work: (client: SqlClient) => Promise<T>) => Promise<T>;
  /** Releases the client (a pool's end); absent when the caller owns it. */
  close?: () => Promise<void>;
  /** hnsw.ef_search of searches (default 64). */
  efSearch?: number;
  /**
   * Vectors kept across every process: past it, the oldest labels (the sequence hands them out
   * in order) are deleted, checked every `sweepEvery` adds of this process. Default 100,000.
   */
  maxEntries?: number;
  sweepEvery?: number;
  now?: () => number;
}

/*
 * Tables (created when missing). semantic_cache_scopes: one row per scope with its tenant and
 * meta. semantic_cache_vectors_<d>: (scope, label) → vector, the tenant repeated on each row,
 * HNSW (cosine). semantic_cache_labels: the sequence every process takes labels from, so two
 * API nodes never write the same label. semantic_cache_payloads: the answers, by key, with
 * their expiry (PostgresPayloadCache).
 */
const schema = `
CREATE TABLE IF NOT EXISTS semantic_cache_scopes (scope text PRIMARY KEY, tenant text NOT NULL, meta jsonb NOT NULL);
CREATE SEQUENCE IF NOT EXISTS semantic_cache_labels AS bigint MINVALUE 0 MAXVALUE 4294967295 START 0 NO CYCLE;
CREATE TABLE IF NOT EXISTS semantic_cache_payloads (key text PRIMARY KEY, value text NOT NULL, expires_at bigint NOT NULL);
CREATE INDEX IF NOT EXISTS semantic_cache_payloads_expiry ON semantic_cache_payloads (expires_at)`;

function vectorTable(dimension: number): string {
  return `semantic_cache_vectors_${dimension}`;
}

function vectorSchema(dimension: number): string {
  const table = vectorTable(dimension);
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  scope text NOT NULL, label bigint NOT NULL, tenant text NOT NULL, embedding vector(${dimension}) NOT NULL, PRIMARY KEY (scope, label));
CREATE INDEX IF NOT EXISTS ${table}_label ON ${table} (label);
CREATE INDEX IF NOT EXISTS ${table}_embedding ON ${table} USING hnsw (embedding vector_cosine_ops)`;
}

/** Creates the `vector` extension; without it, refuses with CONFIG_INVALID naming it. */
export async function requireVectorExtension(client: SqlClient, what: string, instead: string): Promise<void> {
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    throw new BreakwaterError(
      'CONFIG_INVALID',
      `${what} needs the PostgreSQL extension "vector" (pgvector), and CREATE EXTENSION vector failed: ${(error as Error).message}. Install pgvector on the server (e.g. the postgresql-<version>-pgvector package) and have a superuser run CREATE EXTENSION vector, or ${instead}.`,
      { cause: error },
    );
  }
}

/**
 * The semantic cache's indexes in PostgreSQL with pgvector, shared by every process on the same
 * database: a scope's vectors are rows, searched with the scope and tenant in the WHERE clause
 * (HNSW with iterative scans, so rows of other scopes never crowd out a scope's own). Handles
 * are cheap: `size()` and `labels()` are what this process read at open plus its own changes.
 */
export class PgvectorVectorIndexStore implements VectorIndexStore {
  readonly capabilities: VectorIndexCapabilities = { persistent: true, exact: false, shared: true };
  readonly dimension: number;
  private readonly table: string;
  private readonly held = new Map<string, PgvectorVectorIndex>();
  private readonly opening = new Map<string, Promise<PgvectorVectorIndex>>();
  private adds = 0;
  private sweeping: Promise<void> | undefined;

  private constructor(private readonly options: PgvectorIndexStoreOptions) {
    this.dimension = options.dimension;
    this.table = vectorTable(options.dimension);
  }

  static async open(options: PgvectorIndexStoreOptions): Promise<PgvectorVectorIndexStore> {
    await requireVectorExtension(options.client, 'cache.semantic.index.driver: pgvector', 'choose another cache.semantic.index.driver');
    for (const statement of `${schema};${vectorSchema(options.dimension)}`.split(';').map((part) => part.trim())) {
      if (statement !== '') await options.client.query(statement);
    }
    return new PgvectorVectorIndexStore(options);
  }

  /** The answers' cache in the same database (shared like the vectors). */
  payloads(): ResponseCache {
    return new PostgresPayloadCache(this.options.client, this.options.now ?? Date.now);
  }

  async open(scope: string, meta: Readonly<Record<string, string>>): Promise<VectorIndex> {
    const held = this.held.get(scope);
    if (held) {
      if (!sameMeta(held.meta, meta)) {
        held.meta = { ...meta };
        await this.writeScope(scope, meta);
      }
      return held;
    }
    let opening = this.opening.get(scope);
    if (!opening) {
      opening = (async () => {
        await this.writeScope(scope, meta);
        const { rows } = await this.options.client.query<{ label: string | number }>(`SELECT label FROM ${this.table} WHERE scope = $1`, [scope]);
        const index = new PgvectorVectorIndex(this, scope, meta.tenant ?? '', { ...meta }, new Set(rows.map((row) => Number(row.label))));
        this.held.set(scope, index);
        return index;
      })().finally(() => this.opening.delete(scope));
      this.opening.set(scope, opening);
    }
    return opening;
  }

  async list(): Promise<Array<{ scope: string; meta: Record<string, string> }>> {
    const { rows } = await this.options.client.query<{ scope: string; meta: Record<string, string> }>('SELECT scope, meta FROM semantic_cache_scopes ORDER BY scope');
    return rows.map((row) => ({ scope: row.scope, meta: row.meta }));
  }

  async drop(scope: string): Promise<void> {
    await this.opening.get(scope)?.catch(() => undefined);
    this.held.delete(scope);
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.table} WHERE scope = $1`, [scope]);
      await client.query('DELETE FROM semantic_cache_scopes WHERE scope = $1', [scope]);
    });
  }

  /** Everything is in the database already: the handle is let go. */
  async release(scope: string): Promise<void> {
    await this.opening.get(scope)?.catch(() => undefined);
    this.held.delete(scope);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.sweeping?.catch(() => undefined);
    this.held.clear();
    await this.options.close?.();
  }

  async nextLabel(): Promise<number> {
    const { rows } = await this.options.client.query<{ label: string | number }>("SELECT nextval('semantic_cache_labels') AS label");
    return Number(rows[0]!.label);
  }

  /** @internal */
  async add(scope: string, tenant: string, label: number, vector: Float32Array): Promise<void> {
    await this.options.client.query(
      `INSERT INTO ${this.table} (scope, label, tenant, embedding) VALUES ($1, $2, $3, $4::vector)
       ON CONFLICT (scope, label) DO UPDATE SET embedding = EXCLUDED.embedding, tenant = EXCLUDED.tenant`,
      [scope, label, tenant, vectorLiteral(vector)],
    );
    if (++this.adds % (this.options.sweepEvery ?? 256) === 0 && !this.sweeping) {
      this.sweeping = this.sweep()
        .catch(() => undefined)
        .finally(() => {
          this.sweeping = undefined;
        });
    }
  }

  /** @internal */
  async remove(scope: string, label: number): Promise<void> {
    await this.options.client.query(`DELETE FROM ${this.table} WHERE scope = $1 AND label = $2`, [scope, label]);
  }

  /** @internal */
  async search(scope: string, tenant: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const ef = Math.max(k, this.options.efSearch ?? 64);
    const rows = await this.transaction(async (client) => {
      // Iterative scans (pgvector 0.8) keep walking the graph until k rows of this scope are found.
      await client.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      const { rows } = await client.query<{ label: string | number; distance: number }>(
        `SELECT * FROM (
           SELECT label, embedding <=> $1::vector AS distance FROM ${this.table}
           WHERE scope = $2 AND tenant = $3
           ORDER BY embedding <=> $1::vector LIMIT $4) nearest
         ORDER BY distance`,
        [vectorLiteral(vector), scope, tenant, k],
      );
      return rows;
    });
    return rows.map((row) => ({ label: Number(row.label), similarity: 1 - Number(row.distance) }));
  }

  /**
   * Keeps the shared table bounded: vectors past `maxEntries` (oldest labels first) and
   * answers past their expiry are deleted. Another process's lookup that finds a vector whose
   * answer is gone forgets it, as with an expired answer.
   */
  async sweep(): Promise<void> {
    const max = this.options.maxEntries ?? 100_000;
    const { rows } = await this.options.client.query<{ label: string | number }>(`SELECT label FROM ${this.table} ORDER BY label DESC OFFSET $1 LIMIT 1`, [max]);
    if (rows[0]) await this.options.client.query(`DELETE FROM ${this.table} WHERE label <= $1`, [Number(rows[0].label)]);
    await this.options.client.query('DELETE FROM semantic_cache_payloads WHERE expires_at <= $1', [(this.options.now ?? Date.now)()]);
  }

  private async writeScope(scope: string, meta: Readonly<Record<string, string>>): Promise<void> {
    await this.options.client.query(
      'INSERT INTO semantic_cache_scopes (scope, tenant, meta) VALUES ($1, $2, $3) ON CONFLICT (scope) DO UPDATE SET meta = EXCLUDED.meta, tenant = EXCLUDED.tenant',
      [scope, meta.tenant ?? '', JSON.stringify(meta)],
    );
  }

  private transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    if (this.options.transaction) return this.options.transaction(work);
    const { client } = this.options;
    return (async () => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    })();
  }
}

/** One scope's handle. */
class PgvectorVectorIndex implements VectorIndex {
  constructor(
    private readonly store: PgvectorVectorIndexStore,
    private readonly scope: string,
    private readonly tenant: string,
    public meta: Record<string, string>,
    private readonly known: Set<number>,
  ) {}

  get dimension(): number {
    return this.store.dimension;
  }

  size(): number {
    return this.known.size;
  }

  labels(): number[] {
    return [...this.known].sort((a, b) => a - b);
  }

  async add(label: number, vector: Float32Array): Promise<void> {
    assertLabel(label);
    assertDimension(vector, this.store.dimension);
    await this.store.add(this.scope, this.tenant, label, vector);
    this.known.add(label);
  }

  async remove(label: number): Promise<void> {
    await this.store.remove(this.scope, label);
    this.known.delete(label);
  }

  async search(vector: Float32Array, k: number): Promise<VectorMatch[]> {
    assertDimension(vector, this.store.dimension);
    if (k <= 0) return [];
    return this.store.search(this.scope, this.tenant, vector, k);
  }
}

/** The semantic cache's answers in PostgreSQL, so every API node reads what any one stored. */
export class PostgresPayloadCache implements ResponseCache {
  constructor(
    private readonly client: SqlClient,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const { rows } = await this.client.query<{ value: string }>('SELECT value FROM semantic_cache_payloads WHERE key = $1 AND expires_at > $2', [key, this.now()]);
    return rows[0]?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.query(
      'INSERT INTO semantic_cache_payloads (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at',
      [key, value, this.now() + ttlMs],
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.query('DELETE FROM semantic_cache_payloads WHERE key = $1', [key]);
  }
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

function sameMeta(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
