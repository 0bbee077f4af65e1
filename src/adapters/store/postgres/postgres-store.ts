import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../../core/ports/store.js';
import { PostgresJobStore } from './postgres-job-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { PostgresLedgerStore } from './postgres-ledger-store.js';
import { PostgresFeedbackStore } from './postgres-feedback-store.js';
import { PostgresPromptStore } from './postgres-prompt-store.js';
import { PostgresPromptRegistry } from './postgres-prompt-registry.js';
import { PostgresShadowStore } from './postgres-shadow-store.js';
import { PostgresStranglerStore } from './postgres-strangler-store.js';
import { PostgresDriftStore } from './postgres-drift-store.js';
import { PostgresDispatchOutbox } from './postgres-dispatch-outbox.js';
import { PostgresRecordStore } from './postgres-record-store.js';
import { PostgresWebhookDeliveryStore } from './postgres-webhook-delivery-store.js';
import { PostgresWorkflowStore } from './postgres-workflow-store.js';
import { guardPool, storeUnreachableAtStart } from './store-unavailable.js';
import { openPool } from './open-pool.js';
import { withTransaction } from './with-transaction.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db`; `?options=-c search_path=…` selects a schema. */
  connectionString: string;
  /** Connections per process for writes, transitions and the relay (default 10). */
  poolSize?: number;
  /**
   * Connections per process kept for the reads clients wait on — key lookups, job status,
   * events, records (default 4; 0 shares the main pool). A bulkhead: a burst of submissions
   * or transitions holding every main connection does not queue a GET behind it.
   */
  readPoolSize?: number;
}

/**
 * Epoch-ms columns are bigint, which pg returns as strings by default. These parsers turn
 * bigint (and count(*)) into numbers for this pool only, leaving other pools in the process
 * (a user's sink database) with pg's defaults. Epoch ms and nano-dollar sums stay far below 2^53.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** Serialises migrations of one schema across nodes that start at the same time. */
const migrationLock = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':breakwater-migrations'))`;

/** The scale-out store: PostgreSQL shared by any number of API and worker nodes. */
export class PostgresStore implements Store {
  readonly capabilities = { shared: true };
  readonly keys: PostgresKeyStore;
  readonly ledger: PostgresLedgerStore;
  readonly jobs: PostgresJobStore;
  readonly records: PostgresRecordStore;
  readonly deliveries: PostgresWebhookDeliveryStore;
  readonly prompts: PostgresPromptStore;
  readonly promptRegistry: PostgresPromptRegistry;
  readonly shadows: PostgresShadowStore;
  readonly strangler: PostgresStranglerStore;
  readonly drift: PostgresDriftStore;
  readonly dispatches: PostgresDispatchOutbox;
  readonly feedback: PostgresFeedbackStore;
  readonly workflows: PostgresWorkflowStore;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
    connectionString: string,
  ) {
    this.keys = new PostgresKeyStore(pool, reads);
    this.ledger = new PostgresLedgerStore(pool);
    this.jobs = new PostgresJobStore(pool, reads);
    this.records = new PostgresRecordStore(reads);
    this.deliveries = new PostgresWebhookDeliveryStore(pool, reads);
    this.prompts = new PostgresPromptStore(pool);
    this.promptRegistry = new PostgresPromptRegistry(pool, reads, connectionString);
    this.shadows = new PostgresShadowStore(pool, reads);
    this.strangler = new PostgresStranglerStore(pool, reads);
    this.drift = new PostgresDriftStore(pool, reads);
    this.dispatches = new PostgresDispatchOutbox(pool);
    this.feedback = new PostgresFeedbackStore(pool);
    this.workflows = new PostgresWorkflowStore(pool, reads);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const open = (max: number) => {
      return guardPool(openPool({ connectionString: options.connectionString, max, types, connectionTimeoutMillis: 10_000 }));
    };
    const pool = open(options.poolSize ?? 10);
    const readPoolSize = options.readPoolSize ?? 4;
    const store = new PostgresStore(pool, readPoolSize > 0 ? open(readPoolSize) : pool, options.connectionString);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw storeUnreachableAtStart(error);
    }
    return store;
  }

  /**
   * Applies the numbered .sql files beside this module (copied to dist by the build) in name
   * order, each in its own transaction under an advisory lock, re-checking what is applied
   * once the lock is held: a node that waited finds the other node's work done.
   */
  async migrate(): Promise<{ applied: string[] }> {
    const applied: string[] = [];
    for (const migration of loadMigrations()) {
      const ran = await withTransaction(this.pool, async (client) => {
        await client.query(migrationLock);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)');
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE name = $1', [migration.name]);
        if (done.rowCount !== 0) return false;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [migration.name, Date.now()]);
        return true;
      });
      if (ran) applied.push(migration.name);
    }
    return { applied };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.promptRegistry.close();
    await Promise.all([this.pool.end(), ...(this.reads === this.pool ? [] : [this.reads.end()])]);
  }
}

function loadMigrations(): Array<{ name: string; sql: string }> {
  const folder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ''), sql: readFileSync(join(folder, file), 'utf8') }));
}
