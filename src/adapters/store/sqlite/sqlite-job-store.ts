import type Database from 'better-sqlite3';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { JobError, JobEvent, JobEventType, JobListFilter, JobRecord, JobStore, NewJob, Transition } from '../../../core/ports/job-store.js';
import type { Page } from '../../../core/ports/page.js';
import type { EnqueueRequest } from '../../../core/ports/queue.js';
import type { StoredRecord } from '../../../core/ports/record-store.js';
import type { WebhookDelivery, WebhookOutboxEntry } from '../../../core/ports/webhook-delivery-store.js';
import type { SqliteQueue } from '../../queue/sqlite/sqlite-queue.js';
import { nextTurn } from '../../../core/turns.js';
import type { GroupCommit } from './group-commit.js';
import { decodeCursor, encodeCursor, jobColumns, newJobRecord, newJobValues, page, publicError, toDelivery, toJob, type DeliveryRow, type JobRow } from '../job-rows.js';
import { SqliteRecordWrites } from './record-writes.js';
import { SqliteWebhookDeliveryWrites } from './webhook-delivery-writes.js';

const orphanPartsAfterMs = 3_600_000;

/** A job row as SQLite returns it: JSON columns are TEXT. */
type SqliteJobRow = Omit<JobRow, 'result' | 'error' | 'metadata'> & { result: string | null; error: string | null; metadata: string | null };

/**
 * Jobs in the embedded SQLite file. Every write goes through the group commit, so a state
 * change, its event, the rows it implies in other domains (its record and webhook deliveries,
 * written with those domains' row writers) and, for createJob, its queue item land in one
 * transaction, and callers hear back only after the commit.
 */
export class SqliteJobStore implements JobStore {
  private readonly s;
  private readonly records: SqliteRecordWrites;
  private readonly deliveries: SqliteWebhookDeliveryWrites;
  private queuedCount: { commits: number; value: Promise<{ total: number; byTenant: ReadonlyMap<string, number> }> } | undefined;

  constructor(
    private readonly database: Database.Database,
    private readonly writes: GroupCommit,
    private readonly queue: SqliteQueue,
  ) {
    const db = database;
    this.records = new SqliteRecordWrites(database);
    this.deliveries = new SqliteWebhookDeliveryWrites(database);
    this.s = {
      insertJob: db.prepare(
        `INSERT INTO jobs (id, tenant, key_id, kind, pipeline, status, priority, source, webhook_url, idempotency_key, request_hash,
                           max_attempts, metadata, created_at, run_at, deadline, event_seq)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      ),
      insertInput: db.prepare(`INSERT INTO job_inputs (job_id, body) VALUES (?, ?)`),
      byIdempotency: db.prepare(`SELECT ${jobColumns} FROM jobs WHERE tenant = ? AND idempotency_key = ?`),
      get: db.prepare(`SELECT ${jobColumns} FROM jobs WHERE id = ?`),
      getInput: db.prepare(`SELECT body FROM job_inputs WHERE job_id = ?`).pluck(),
      insertPart: db.prepare(`INSERT INTO job_input_parts (job_id, seq, body, created_at) VALUES (?, ?, ?, ?)`),
      partCount: db.prepare(`SELECT count(*) FROM job_input_parts WHERE job_id = ?`).pluck(),
      getPart: db.prepare(`SELECT body FROM job_input_parts WHERE job_id = ? AND seq = ?`).pluck(),
      deleteParts: db.prepare(`DELETE FROM job_input_parts WHERE job_id = ?`),
      orphanParts: db.prepare(`DELETE FROM job_input_parts WHERE created_at < ? AND job_id NOT IN (SELECT id FROM jobs)`),
      event: db.prepare(`INSERT INTO job_events (job_id, seq, type, data, at) VALUES (?, ?, ?, ?, ?)`),
      events: db.prepare(`SELECT job_id, seq, type, data, at FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq`),
      start: db.prepare(
        `UPDATE jobs SET status = 'running', token = ?, attempts = ?, step = NULL, started_at = coalesce(started_at, ?), event_seq = event_seq + 1
         WHERE id = ? AND token < ? AND status IN ('queued', 'running')
         RETURNING ${jobColumns}, (SELECT body FROM job_inputs WHERE job_id = jobs.id) AS input`,
      ),
      progress: db.prepare(`UPDATE jobs SET step = ?, event_seq = event_seq + 1 WHERE id = ? AND token = ? AND status = 'running' RETURNING ${jobColumns}`),
      complete: db.prepare(
        `UPDATE jobs SET status = 'succeeded', step = NULL, result = ?, error = NULL, finished_at = ?, event_seq = event_seq + 1
         WHERE id = ? AND token = ? AND status = 'running' RETURNING ${jobColumns}`,
      ),
      retry: db.prepare(
        `UPDATE jobs SET status = 'queued', step = NULL, error = ?, run_at = ?, event_seq = event_seq + 1
         WHERE id = ? AND token = ? AND status = 'running' RETURNING ${jobColumns}`,
      ),
      fail: db.prepare(
        `UPDATE jobs SET status = 'failed', step = NULL, error = ?, finished_at = ?, event_seq = event_seq + 1
         WHERE id = ? AND token = ? AND status = 'running' RETURNING ${jobColumns}`,
      ),
      abandon: db.prepare(
        `UPDATE jobs SET status = 'failed', step = NULL, error = ?, finished_at = ?, event_seq = event_seq + 1
         WHERE id = ? AND status IN ('queued', 'running') RETURNING ${jobColumns}`,
      ),
      cancel: db.prepare(
        `UPDATE jobs SET status = 'cancelled', step = NULL, finished_at = ?, event_seq = event_seq + 1
         WHERE id = ? AND tenant = ? AND status IN ('queued', 'running') RETURNING ${jobColumns}`,
      ),
      // Unfinished jobs are exactly those with a queue item (waiting, delayed or leased).
      countQueued: db.prepare(`SELECT tenant, count(*) AS n FROM queue_items GROUP BY tenant`),
      deliveriesOf: db.prepare(`SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, id`),
      finishedBefore: db.prepare(`SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT 5000`).pluck(),
      deleteJob: db.prepare(`DELETE FROM jobs WHERE id = ?`),
      deleteInput: db.prepare(`DELETE FROM job_inputs WHERE job_id = ?`),
      deleteEvents: db.prepare(`DELETE FROM job_events WHERE job_id = ?`),
    };
  }

  async createJob(job: NewJob, input: readonly Uint8Array[], dispatch: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }> {
    // Parts first, each in a batch of its own; the job's transaction below is what makes them
    // reachable, so a crash in between leaves only parts for the sweep.
    const inParts = input.length > 1;
    if (inParts) for (const [seq, part] of input.entries()) await this.writes.run(() => this.s.insertPart.run(job.id, seq, part, job.createdAt), part.byteLength);
    const outcome = await this.writes.run(
      () => {
        if (job.idempotencyKey !== null) {
          const existing = this.s.byIdempotency.get(job.tenant, job.idempotencyKey) as SqliteJobRow | undefined;
          if (existing) {
            if (inParts) this.s.deleteParts.run(job.id);
            if (existing.request_hash !== job.requestHash) {
              throw new BreakwaterError(
                'IDEMPOTENCY_KEY_REUSED',
                `The Idempotency-Key "${job.idempotencyKey}" was already used with a different request body; use a new key for a new job.`,
                { param: 'Idempotency-Key' },
              );
            }
            return { job: fromSqliteJob(existing), created: false };
          }
        }
        this.s.insertJob.run(...newJobValues(job, Object.keys(job.metadata).length > 0 ? JSON.stringify(job.metadata) : null));
        if (!inParts) this.s.insertInput.run(job.id, input[0] ?? new Uint8Array());
        this.appendEvent(job.id, 1, 'job-queued', { status: 'queued' }, job.createdAt);
        this.queue.insertInTransaction(dispatch);
        return { job: newJobRecord(job), created: true };
      },
      inParts ? 0 : (input[0]?.byteLength ?? 0),
    );
    if (outcome.created) this.queue.notifyReady();
    return outcome;
  }

  async getJobWithDeliveries(id: string, tenant?: string): Promise<{ job: JobRecord; deliveries: WebhookDelivery[] } | undefined> {
    const job = await this.getJob(id, tenant);
    return job && { job, deliveries: (this.s.deliveriesOf.all(id) as DeliveryRow[]).map(toDelivery) };
  }

  async getJob(id: string, tenant?: string): Promise<JobRecord | undefined> {
    const row = this.s.get.get(id) as SqliteJobRow | undefined;
    if (!row || (tenant !== undefined && row.tenant !== tenant)) return undefined;
    return fromSqliteJob(row);
  }

  async findByIdempotencyKey(tenant: string, idempotencyKey: string): Promise<JobRecord | undefined> {
    const row = this.s.byIdempotency.get(tenant, idempotencyKey) as SqliteJobRow | undefined;
    return row && fromSqliteJob(row);
  }

  async getInput(id: string): Promise<Uint8Array[] | undefined> {
    const whole = this.s.getInput.get(id) as Buffer | undefined;
    if (whole) return [whole];
    const count = this.s.partCount.get(id) as number;
    if (count === 0) return undefined;
    const parts: Uint8Array[] = [];
    // A part a turn (core/turns.ts): reading the whole input at once is the copy the parts avoid.
    for (let seq = 0; seq < count; seq++) {
      await nextTurn();
      const part = this.s.getPart.get(id, seq) as Buffer | undefined;
      // Deleted meanwhile (retention): the job is gone too.
      if (!part) return undefined;
      parts.push(part);
    }
    return parts;
  }

  async listJobs(tenant: string | undefined, filter: JobListFilter): Promise<Page<JobRecord>> {
    const where = tenant === undefined ? ['1 = 1'] : ['tenant = ?'];
    const values: unknown[] = tenant === undefined ? [] : [tenant];
    if (filter.status) {
      where.push('status = ?');
      values.push(filter.status);
    }
    if (filter.pipeline) {
      where.push('pipeline = ?');
      values.push(filter.pipeline);
    }
    const after = decodeCursor(filter.cursor);
    if (after) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      values.push(after.at, after.at, after.id);
    }
    const rows = this.database
      .prepare(`SELECT ${jobColumns} FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...values, filter.limit + 1) as SqliteJobRow[];
    return page(rows.map(fromSqliteJob), filter.limit, (job) => encodeCursor(job.createdAt, job.id));
  }

  countQueued(): Promise<{ total: number; byTenant: ReadonlyMap<string, number> }> {
    // Hundreds of submissions resumed by one commit all ask in the same turn; one count serves
    // them while nothing has committed since (it is dropped at the next turn, for writers in
    // other processes).
    if (this.queuedCount && this.queuedCount.commits === this.writes.commits) return this.queuedCount.value;
    const value = Promise.resolve(this.countQueuedNow());
    this.queuedCount = { commits: this.writes.commits, value };
    setImmediate(() => (this.queuedCount = undefined));
    return value;
  }

  private countQueuedNow(): { total: number; byTenant: ReadonlyMap<string, number> } {
    const byTenant = new Map<string, number>();
    let total = 0;
    for (const row of this.s.countQueued.all() as Array<{ tenant: string; n: number }>) {
      byTenant.set(row.tenant, row.n);
      total += row.n;
    }
    return { total, byTenant };
  }

  async events(jobId: string, afterSeq: number): Promise<JobEvent[]> {
    const rows = this.s.events.all(jobId, afterSeq) as Array<{ job_id: string; seq: number; type: JobEventType; data: string; at: number }>;
    return rows.map((row) => ({ jobId: row.job_id, seq: row.seq, type: row.type, data: JSON.parse(row.data) as Record<string, unknown>, at: row.at }));
  }

  startJob(id: string, token: number, attempt: number, at: number): Promise<(Transition & { input?: Uint8Array }) | undefined> {
    return this.writes.run(() => {
      const row = this.s.start.get(token, attempt, at, id, token) as (SqliteJobRow & { input: Buffer | null }) | undefined;
      return row && { ...this.transition(row, 'job-start', { attempt }, at), ...(row.input ? { input: row.input } : {}) };
    });
  }

  progress(id: string, token: number, step: string, data: Record<string, unknown>, at: number): Promise<Transition | undefined> {
    return this.writes.run(() => {
      const row = this.s.progress.get(step, id, token) as SqliteJobRow | undefined;
      return row && this.transition(row, 'job-progress', { step, ...data }, at);
    });
  }

  completeJob(
    id: string,
    token: number,
    result: unknown,
    at: number,
    extras: { record?: StoredRecord; webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[] },
  ): Promise<Transition | undefined> {
    return this.writes.run(() => {
      const row = this.s.complete.get(JSON.stringify(result ?? null), at, id, token) as SqliteJobRow | undefined;
      if (!row) return undefined;
      if (extras.record) this.records.insert(extras.record);
      this.deliveries.insert(row, extras.webhooks?.(fromSqliteJob(row)) ?? [], at);
      return this.transition(row, 'job-end', { status: 'succeeded' }, at);
    });
  }

  failJob(
    id: string,
    token: number,
    error: JobError,
    retryAt: number | null,
    at: number,
    webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[],
  ): Promise<Transition | undefined> {
    return this.writes.run(() => {
      if (retryAt !== null) {
        const row = this.s.retry.get(JSON.stringify(error), retryAt, id, token) as SqliteJobRow | undefined;
        return row && this.transition(row, 'job-retry', { attempt: row.attempts, retry_at: Math.floor(retryAt / 1000), error: publicError(error) }, at);
      }
      const row = this.s.fail.get(JSON.stringify(error), at, id, token) as SqliteJobRow | undefined;
      if (!row) return undefined;
      this.deliveries.insert(row, webhooks?.(fromSqliteJob(row)) ?? [], at);
      return this.transition(row, 'job-fail', { status: 'failed', error: publicError(error) }, at);
    });
  }

  abandonJob(id: string, error: JobError, at: number, webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[]): Promise<Transition | undefined> {
    return this.writes.run(() => {
      const row = this.s.abandon.get(JSON.stringify(error), at, id) as SqliteJobRow | undefined;
      if (!row) return undefined;
      this.deliveries.insert(row, webhooks?.(fromSqliteJob(row)) ?? [], at);
      return this.transition(row, 'job-fail', { status: 'failed', error: publicError(error) }, at);
    });
  }

  cancelJob(
    id: string,
    tenant: string,
    at: number,
    webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[],
  ): Promise<{ job: JobRecord; event: JobEvent | undefined } | undefined> {
    return this.writes.run(() => {
      const row = this.s.cancel.get(at, id, tenant) as SqliteJobRow | undefined;
      if (!row) {
        const existing = this.s.get.get(id) as SqliteJobRow | undefined;
        return existing && existing.tenant === tenant ? { job: fromSqliteJob(existing), event: undefined } : undefined;
      }
      this.queue.cancelInTransaction(id);
      this.deliveries.insert(row, webhooks?.(fromSqliteJob(row)) ?? [], at);
      return this.transition(row, 'job-cancel', { status: 'cancelled' }, at);
    });
  }

  deleteFinishedBefore(before: number): Promise<number> {
    return this.writes.run(() => {
      const ids = this.s.finishedBefore.all(before) as string[];
      for (const id of ids) {
        this.s.deleteEvents.run(id);
        this.s.deleteInput.run(id);
        this.s.deleteParts.run(id);
        this.deliveries.deleteEndedOf(id);
        this.s.deleteJob.run(id);
      }
      // Parts of a job whose transaction never committed; an hour is far longer than any submission takes.
      this.s.orphanParts.run(Date.now() - orphanPartsAfterMs);
      return ids.length;
    });
  }

  /** Appends event number `seq` (handed out by the UPDATE that made the change). */
  private appendEvent(jobId: string, seq: number, type: JobEventType, data: Record<string, unknown>, at: number): JobEvent {
    this.s.event.run(jobId, seq, type, JSON.stringify(data), at);
    return { jobId, seq, type, data, at };
  }

  private transition(row: SqliteJobRow, type: JobEventType, data: Record<string, unknown>, at: number): Transition {
    return { job: fromSqliteJob(row), event: this.appendEvent(row.id, row.event_seq, type, data, at) };
  }
}

function fromSqliteJob(row: SqliteJobRow): JobRecord {
  return toJob({
    ...row,
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    metadata: row.metadata === null ? {} : (JSON.parse(row.metadata) as Record<string, string>),
  });
}
