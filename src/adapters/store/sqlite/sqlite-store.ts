import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '../../../core/ports/store.js';
import { loadMigrations } from './migrations.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { sqliteReader } from './sqlite-read-thread.js';
import { SqliteQueue, type SqliteQueueOptions } from '../../queue/sqlite/sqlite-queue.js';
import { GroupCommit } from './group-commit.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteFeedbackStore } from './sqlite-feedback-store.js';
import { SqlitePromptStore } from './sqlite-prompt-store.js';
import { SqlitePromptRegistry } from './sqlite-prompt-registry.js';
import { SqliteShadowStore } from './sqlite-shadow-store.js';
import { SqliteStranglerStore } from './sqlite-strangler-store.js';
import { SqliteDriftStore } from './sqlite-drift-store.js';
import { SqliteDispatchOutbox } from './sqlite-dispatch-outbox.js';
import { SqliteRecordStore } from './sqlite-record-store.js';
import { SqliteWebhookDeliveryStore } from './sqlite-webhook-delivery-store.js';
import { SqliteWorkflowStore } from './sqlite-workflow-store.js';

/** The queue and the store's job-side domains, which share the file's group commit. */
interface JobDomains {
  queue: SqliteQueue;
  jobs: SqliteJobStore;
  records: SqliteRecordStore;
  deliveries: SqliteWebhookDeliveryStore;
  prompts: SqlitePromptStore;
  workflows: SqliteWorkflowStore;
  promptRegistry: SqlitePromptRegistry;
  shadows: SqliteShadowStore;
  strangler: SqliteStranglerStore;
  drift: SqliteDriftStore;
}

const defaultQueueOptions: SqliteQueueOptions = { backoffBaseMs: 1_000, backoffMaxMs: 300_000 };

/** The embedded store: one SQLite file in WAL mode, used by one process. */
export class SqliteStore implements Store {
  readonly capabilities = { shared: false };
  readonly keys: SqliteKeyStore;
  readonly ledger: SqliteLedgerStore;
  readonly feedback: SqliteFeedbackStore;
  readonly dispatches = new SqliteDispatchOutbox();
  private readonly database: Database.Database;
  private readonly writes: GroupCommit;
  /** Reads that grow with the ledger, on a thread of their own (sqlite-read-thread.ts). */
  private readonly reader: ReturnType<typeof sqliteReader>;
  private jobDomains: JobDomains | undefined;

  constructor(
    path: string,
    private readonly queueOptions: SqliteQueueOptions = defaultQueueOptions,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.database = new Database(path);
    this.database.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    this.database.pragma('foreign_keys = ON');
    this.keys = new SqliteKeyStore(this.database);
    this.reader = sqliteReader(path, this.database);
    this.ledger = new SqliteLedgerStore(this.database, this.reader.read);
    this.feedback = new SqliteFeedbackStore(this.database);
    this.writes = new GroupCommit(this.database);
  }

  static async open(path: string, queueOptions?: SqliteQueueOptions): Promise<SqliteStore> {
    const store = new SqliteStore(path, queueOptions);
    await store.migrate();
    store.keys.prepare();
    store.ledger.prepare();
    return store;
  }

  /** The embedded queue lives in this file, so a job and its queue item commit together. */
  get queue(): SqliteQueue {
    return this.prepared().queue;
  }

  get jobs(): SqliteJobStore {
    return this.prepared().jobs;
  }

  get records(): SqliteRecordStore {
    return this.prepared().records;
  }

  get deliveries(): SqliteWebhookDeliveryStore {
    return this.prepared().deliveries;
  }

  get prompts(): SqlitePromptStore {
    return this.prepared().prompts;
  }

  get promptRegistry(): SqlitePromptRegistry {
    return this.prepared().promptRegistry;
  }

  get shadows(): SqliteShadowStore {
    return this.prepared().shadows;
  }

  get strangler(): SqliteStranglerStore {
    return this.prepared().strangler;
  }

  get drift(): SqliteDriftStore {
    return this.prepared().drift;
  }

  get workflows(): SqliteWorkflowStore {
    return this.prepared().workflows;
  }

  /** Statements are prepared on first use, once migrations have made their tables. */
  private prepared(): JobDomains {
    if (!this.jobDomains) {
      const queue = new SqliteQueue(this.database, this.writes, this.queueOptions);
      this.jobDomains = {
        queue,
        jobs: new SqliteJobStore(this.database, this.writes, queue),
        records: new SqliteRecordStore(this.database),
        deliveries: new SqliteWebhookDeliveryStore(this.database, this.writes),
        prompts: new SqlitePromptStore(this.database, this.writes),
        workflows: new SqliteWorkflowStore(this.database, this.writes),
        promptRegistry: new SqlitePromptRegistry(this.database, this.writes),
        shadows: new SqliteShadowStore(this.database, this.writes),
        strangler: new SqliteStranglerStore(this.database, this.writes),
        drift: new SqliteDriftStore(this.database, this.writes),
      };
    }
    return this.jobDomains;
  }

  async migrate(): Promise<{ applied: string[] }> {
    this.database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const done = new Set(this.database.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
    const applied: string[] = [];
    const record = this.database.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
    for (const migration of loadMigrations()) {
      if (done.has(migration.name)) continue;
      this.database.transaction(() => {
        this.database.exec(migration.sql);
        record.run(migration.name, Date.now());
      })();
      applied.push(migration.name);
    }
    return { applied };
  }

  async ping(): Promise<void> {
    this.database.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (!this.database.open) return;
    this.reader.close();
    this.writes.flush(true);
    this.database.close();
  }
}
