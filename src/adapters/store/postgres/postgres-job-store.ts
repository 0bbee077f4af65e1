import type pg from 'pg';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { JobError, JobEvent, JobEventType, JobListFilter, JobRecord, JobStore, NewJob, Transition } from '../../../core/ports/job-store.js';
import type { Page } from '../../../core/ports/page.js';
import type { EnqueueRequest } from '../../../core/ports/queue.js';
import type { StoredRecord } from '../../../core/ports/record-store.js';
import type { WebhookDelivery, WebhookOutboxEntry } from '../../../core/ports/webhook-delivery-store.js';
import { withTransaction } from './with-transaction.js';
import { dispatchOutboxWrites } from './dispatch-outbox-writes.js';
import { recordWrites } from './record-writes.js';
import { webhookDeliveryWrites } from './webhook-delivery-writes.js';
import { decodeCursor, encodeCursor, jobColumns, page, publicError, toDelivery, toJob, type DeliveryRow, type JobRow, newJobValues } from '../job-rows.js';

type Webhooks = (job: JobRecord) => readonly WebhookOutboxEntry[];

const dayMs = 86_400_000;

/** A named statement: pg prepares it once per pooled connection and reuses the plan. */
const statement = (name: string, text: string) => (values: unknown[]) => ({ name: `bw-${name}`, text, values });

const sql = {
  // DO NOTHING waits for a concurrent insert of the same key to commit, then yields no row.
  // A new job in one statement (one round trip, no BEGIN/COMMIT): the job row, its input, its
  // first event and its dispatch outbox row, all or nothing. A statement is atomic on its own,
  // and holding a pooled connection for one round trip instead of six keeps submissions from
  // queueing the API's reads behind them. An idempotency conflict inserts nothing, returns no row.
  create: statement(
    'job-create',
    `WITH job AS (
       INSERT INTO jobs (id, tenant, key_id, kind, pipeline, status, priority, source, webhook_url, idempotency_key, request_hash,
                         max_attempts, metadata, created_at, run_at, deadline, event_seq)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, 1)
       ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${jobColumns}
     ), input AS (
       INSERT INTO job_inputs (job_id, body) SELECT id, $16::bytea FROM job
     ), event AS (
       INSERT INTO job_events (job_id, seq, type, data, at) SELECT id, 1, 'job-queued', $17::jsonb, $13::bigint FROM job
     ), dispatch AS (
       ${dispatchOutboxWrites.insertFromJob(18)}
     )
     SELECT * FROM job`,
  ),
  byIdempotency: statement('job-by-idempotency', `SELECT ${jobColumns} FROM jobs WHERE tenant = $1 AND idempotency_key = $2`),
  get: statement('job-get', `SELECT ${jobColumns} FROM jobs WHERE id = $1`),
  // One statement, one pooled connection, one backend: the job and its delivery log together.
  getWithDeliveries: statement(
    'job-get-with-deliveries',
    `SELECT ${jobColumns}, coalesce((SELECT json_agg(d ORDER BY d.created_at, d.id) FROM webhook_deliveries d WHERE d.job_id = jobs.id), '[]') AS deliveries
     FROM jobs WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`,
  ),
  getInput: statement('job-input-get', 'SELECT body FROM job_inputs WHERE job_id = $1'),
  // seq comes from the UPDATE of the job row in the same transaction (event_seq + 1): that
  // row lock serialises the changes of one job, so no two events can take the same number.
  event: statement('event-insert', 'INSERT INTO job_events (job_id, seq, type, data, at) VALUES ($1, $2, $3, $4::jsonb, $5)'),
  events: statement('events', 'SELECT job_id, seq, type, data, at FROM job_events WHERE job_id = $1 AND seq > $2 ORDER BY seq'),
  start: statement(
    'job-start',
    `UPDATE jobs SET status = 'running', token = $1, attempts = $2, step = NULL, started_at = coalesce(started_at, $3),
                     event_seq = event_seq + 1
     WHERE id = $4 AND token < $1 AND status IN ('queued', 'running')
     RETURNING ${jobColumns}, (SELECT body FROM job_inputs WHERE job_id = jobs.id) AS input`,
  ),
  progress: statement('job-progress', `UPDATE jobs SET step = $1, event_seq = event_seq + 1 WHERE id = $2 AND token = $3 AND status = 'running' RETURNING ${jobColumns}`),
  complete: statement(
    'job-complete',
    `UPDATE jobs SET status = 'succeeded', step = NULL, result = $1::jsonb, error = NULL, finished_at = $2, event_seq = event_seq + 1
     WHERE id = $3 AND token = $4 AND status = 'running' RETURNING ${jobColumns}`,
  ),
  retry: statement(
    'job-retry',
    `UPDATE jobs SET status = 'queued', step = NULL, error = $1::jsonb, run_at = $2, event_seq = event_seq + 1
     WHERE id = $3 AND token = $4 AND status = 'running' RETURNING ${jobColumns}`,
  ),
  fail: statement(
    'job-fail',
    `UPDATE jobs SET status = 'failed', step = NULL, error = $1::jsonb, finished_at = $2, event_seq = event_seq + 1
     WHERE id = $3 AND token = $4 AND status = 'running' RETURNING ${jobColumns}`,
  ),
  abandon: statement(
    'job-abandon',
    `UPDATE jobs SET status = 'failed', step = NULL, error = $1::jsonb, finished_at = $2, event_seq = event_seq + 1
     WHERE id = $3 AND status IN ('queued', 'running') RETURNING ${jobColumns}`,
  ),
  cancel: statement(
    'job-cancel',
    `UPDATE jobs SET status = 'cancelled', step = NULL, finished_at = $1, event_seq = event_seq + 1
     WHERE id = $2 AND tenant = $3 AND status IN ('queued', 'running') RETURNING ${jobColumns}`,
  ),
  countQueued: statement('jobs-count-unfinished', `SELECT tenant, count(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY tenant`),
  finishedBefore: statement('jobs-finished-before', 'SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1 LIMIT 5000 FOR UPDATE SKIP LOCKED'),
  deleteEvents: statement('events-delete', 'DELETE FROM job_events WHERE job_id = ANY($1::text[])'),
  deleteInputs: statement('inputs-delete', 'DELETE FROM job_inputs WHERE job_id = ANY($1::text[])'),
  deleteJobs: statement('jobs-delete', 'DELETE FROM jobs WHERE id = ANY($1::text[])'),
};

/**
 * Jobs in PostgreSQL, shared by every node. Each state change is one transaction on one
 * pooled connection: the fenced UPDATE of the job row (which holds the row lock until commit),
 * then its event, webhook deliveries and record (the last two with those domains' row
 * writers, on the same connection). createJob also writes the dispatch outbox row that a
 * relay publishes to the broker; the broker's message cannot be withdrawn, so cancelJob only
 * ends the job and workers drop messages of ended jobs.
 */
export class PostgresJobStore implements JobStore {
  /**
   * `pool` serves writes, transitions and the relay; `reads` the point reads callers wait on
   * (job status, events, records): a bulkhead, so a burst of submissions never queues a
   * client's GET behind it. Both may be the same pool.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool = pool,
  ) {}

  async createJob(job: NewJob, input: readonly Uint8Array[], dispatch: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }> {
    // One bytea parameter: the pg driver sends it as it is (binary), in the statement's message.
    const body = input.length === 1 ? Buffer.from(input[0]!.buffer, input[0]!.byteOffset, input[0]!.byteLength) : Buffer.concat(input);
    for (;;) {
      const inserted = await this.pool.query<JobRow>(
        sql.create([...newJobValues(job, JSON.stringify(job.metadata)), body, JSON.stringify({ status: 'queued' }), ...dispatchOutboxWrites.values(dispatch, job.createdAt)]),
      );
      const row = inserted.rows[0];
      if (row) return { job: toJob(row), created: true };
      // The tenant already used this key (perhaps another node, a moment ago: the insert
      // waited for its commit). A fresh statement sees that job.
      const existing = (await this.pool.query<JobRow>(sql.byIdempotency([job.tenant, job.idempotencyKey]))).rows[0];
      // Undefined only when the job holding the key was deleted in between: try again.
      if (existing) return reuse(existing, job);
    }
  }

  async getJobWithDeliveries(id: string, tenant?: string): Promise<{ job: JobRecord; deliveries: WebhookDelivery[] } | undefined> {
    const row = (await this.reads.query<JobRow & { deliveries: DeliveryRow[] }>(sql.getWithDeliveries([id, tenant ?? null]))).rows[0];
    return row && { job: toJob(row), deliveries: row.deliveries.map(toDelivery) };
  }

  async getJob(id: string, tenant?: string): Promise<JobRecord | undefined> {
    const row = (await this.reads.query<JobRow>(sql.get([id]))).rows[0];
    if (!row || (tenant !== undefined && row.tenant !== tenant)) return undefined;
    return toJob(row);
  }

  async findByIdempotencyKey(tenant: string, idempotencyKey: string): Promise<JobRecord | undefined> {
    const row = (await this.reads.query<JobRow>(sql.byIdempotency([tenant, idempotencyKey]))).rows[0];
    return row && toJob(row);
  }

  async getInput(id: string): Promise<Uint8Array[] | undefined> {
    const body = (await this.pool.query<{ body: Buffer }>(sql.getInput([id]))).rows[0]?.body;
    return body && [body];
  }

  async listJobs(tenant: string | undefined, filter: JobListFilter): Promise<Page<JobRecord>> {
    const values: unknown[] = [];
    const where = tenant === undefined ? ['true'] : [`tenant = $${values.push(tenant)}`];
    if (filter.status) where.push(`status = $${values.push(filter.status)}`);
    if (filter.pipeline) where.push(`pipeline = $${values.push(filter.pipeline)}`);
    const after = decodeCursor(filter.cursor);
    if (after) {
      const at = values.push(after.at);
      where.push(`(created_at < $${at} OR (created_at = $${at} AND id < $${values.push(after.id)}))`);
    }
    const rows = await this.reads.query<JobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.push(filter.limit + 1)}`,
      values,
    );
    return page(rows.rows.map(toJob), filter.limit, (job) => encodeCursor(job.createdAt, job.id));
  }

  async countQueued(): Promise<{ total: number; byTenant: ReadonlyMap<string, number> }> {
    const byTenant = new Map<string, number>();
    let total = 0;
    for (const row of (await this.pool.query<{ tenant: string; n: number }>(sql.countQueued([]))).rows) {
      byTenant.set(row.tenant, row.n);
      total += row.n;
    }
    return { total, byTenant };
  }

  async events(jobId: string, afterSeq: number): Promise<JobEvent[]> {
    const result = await this.reads.query<{ job_id: string; seq: number; type: JobEventType; data: Record<string, unknown>; at: number }>(sql.events([jobId, afterSeq]));
    return result.rows.map((row) => ({ jobId: row.job_id, seq: row.seq, type: row.type, data: row.data, at: row.at }));
  }

  startJob(id: string, token: number, attempt: number, at: number): Promise<(Transition & { input?: Uint8Array }) | undefined> {
    return withTransaction(this.pool, async (client) => {
      const row = (await client.query<JobRow & { input: Buffer | null }>(sql.start([token, attempt, at, id]))).rows[0];
      if (!row) return undefined;
      const transition = await this.transition(client, row, 'job-start', { attempt }, at);
      return row.input ? { ...transition, input: row.input } : transition;
    });
  }

  progress(id: string, token: number, step: string, data: Record<string, unknown>, at: number): Promise<Transition | undefined> {
    return withTransaction(this.pool, async (client) => {
      const row = (await client.query<JobRow>(sql.progress([step, id, token]))).rows[0];
      return row && this.transition(client, row, 'job-progress', { step, ...data }, at);
    });
  }

  completeJob(id: string, token: number, result: unknown, at: number, extras: { record?: StoredRecord; webhooks?: Webhooks }): Promise<Transition | undefined> {
    return withTransaction(this.pool, async (client) => {
      const row = (await client.query<JobRow>(sql.complete([JSON.stringify(result ?? null), at, id, token]))).rows[0];
      if (!row) return undefined;
      if (extras.record) await recordWrites.insert(client, extras.record);
      await this.insertDeliveries(client, row, extras.webhooks, at);
      return this.transition(client, row, 'job-end', { status: 'succeeded' }, at);
    });
  }

  failJob(id: string, token: number, error: JobError, retryAt: number | null, at: number, webhooks?: Webhooks): Promise<Transition | undefined> {
    return withTransaction(this.pool, async (client) => {
      if (retryAt !== null) {
        const row = (await client.query<JobRow>(sql.retry([JSON.stringify(error), retryAt, id, token]))).rows[0];
        return row && this.transition(client, row, 'job-retry', { attempt: row.attempts, retry_at: Math.floor(retryAt / 1000), error: publicError(error) }, at);
      }
      const row = (await client.query<JobRow>(sql.fail([JSON.stringify(error), at, id, token]))).rows[0];
      if (!row) return undefined;
      await this.insertDeliveries(client, row, webhooks, at);
      return this.transition(client, row, 'job-fail', { status: 'failed', error: publicError(error) }, at);
    });
  }

  abandonJob(id: string, error: JobError, at: number, webhooks?: Webhooks): Promise<Transition | undefined> {
    return withTransaction(this.pool, async (client) => {
      const row = (await client.query<JobRow>(sql.abandon([JSON.stringify(error), at, id]))).rows[0];
      if (!row) return undefined;
      await this.insertDeliveries(client, row, webhooks, at);
      return this.transition(client, row, 'job-fail', { status: 'failed', error: publicError(error) }, at);
    });
  }

  cancelJob(id: string, tenant: string, at: number, webhooks?: Webhooks): Promise<{ job: JobRecord; event: JobEvent | undefined } | undefined> {
    return withTransaction(this.pool, async (client) => {
      const row = (await client.query<JobRow>(sql.cancel([at, id, tenant]))).rows[0];
      if (!row) {
        const existing = (await client.query<JobRow>(sql.get([id]))).rows[0];
        return existing && existing.tenant === tenant ? { job: toJob(existing), event: undefined } : undefined;
      }
      await this.insertDeliveries(client, row, webhooks, at);
      return this.transition(client, row, 'job-cancel', { status: 'cancelled' }, at);
    });
  }

  deleteFinishedBefore(before: number): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      await dispatchOutboxWrites.pruneSent(client, dayMs);
      const ids = (await client.query<{ id: string }>(sql.finishedBefore([before]))).rows.map((row) => row.id);
      if (ids.length === 0) return 0;
      await client.query(sql.deleteEvents([ids]));
      await client.query(sql.deleteInputs([ids]));
      await webhookDeliveryWrites.deleteEndedOf(client, ids);
      await dispatchOutboxWrites.deleteOf(client, ids);
      await client.query(sql.deleteJobs([ids]));
      return ids.length;
    });
  }

  /** Appends event number `seq`, handed out by the UPDATE that made the change. */
  private async appendEvent(client: pg.PoolClient, jobId: string, seq: number, type: JobEventType, data: Record<string, unknown>, at: number): Promise<JobEvent> {
    await client.query(sql.event([jobId, seq, type, JSON.stringify(data), at]));
    return { jobId, seq, type, data, at };
  }

  private async transition(client: pg.PoolClient, row: JobRow, type: JobEventType, data: Record<string, unknown>, at: number): Promise<Transition> {
    return { job: toJob(row), event: await this.appendEvent(client, row.id, row.event_seq, type, data, at) };
  }

  private async insertDeliveries(client: pg.PoolClient, row: JobRow, webhooks: Webhooks | undefined, at: number): Promise<void> {
    await webhookDeliveryWrites.insert(client, row, webhooks?.(toJob(row)) ?? [], at);
  }
}

function reuse(existing: JobRow, job: NewJob): { job: JobRecord; created: boolean } {
  if (existing.request_hash !== job.requestHash) {
    throw new BreakwaterError(
      'IDEMPOTENCY_KEY_REUSED',
      `The Idempotency-Key "${job.idempotencyKey}" was already used with a different request body; use a new key for a new job.`,
      { param: 'Idempotency-Key' },
    );
  }
  return { job: toJob(existing), created: false };
}
