import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { JobError, JobRecord, NewJob } from '../../core/ports/job-store.js';
import type { Page } from '../../core/ports/page.js';
import type { StoredRecord } from '../../core/ports/record-store.js';
import type { WebhookDelivery, WebhookOutboxEntry } from '../../core/ports/webhook-delivery-store.js';
import type { EnqueueRequest } from '../../core/ports/queue.js';

/**
 * Job, record and delivery rows as both stores read them, and their mapping to the port's
 * types. Rows here have numbers for epoch-ms columns and JSON columns already parsed: pg does
 * both (the store's INT8 parser, jsonb); the SQLite store parses its TEXT columns first
 * (`fromSqliteJobRow`). One cursor format, so a cursor means the same thing on either store.
 */
export interface JobRow {
  id: string;
  tenant: string;
  key_id: string;
  kind: JobRecord['kind'];
  pipeline: string | null;
  status: JobRecord['status'];
  priority: number;
  source: string | null;
  webhook_url: string | null;
  idempotency_key: string | null;
  request_hash: string;
  attempts: number;
  max_attempts: number;
  token: number;
  step: string | null;
  result: unknown;
  error: JobError | null;
  metadata: Record<string, string>;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  run_at: number;
  deadline: number | null;
  /** Sequence number of the job's latest event. */
  event_seq: number;
}

export interface RecordRow {
  id: string;
  job_id: string;
  tenant: string;
  pipeline: string;
  prompt_version: number;
  model: string;
  deployment: string | null;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  source: string | null;
  data: Record<string, unknown>;
  created_at: number;
}

export interface DeliveryRow {
  id: string;
  job_id: string;
  tenant: string;
  url: string;
  event_type: string;
  body: string;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  trace_context: string | null;
}

export interface DispatchRow {
  id: string;
  tenant: string;
  priority: number | null;
  run_at: number | null;
  deadline: number | null;
  max_attempts: number;
}

export const jobColumns = `id, tenant, key_id, kind, pipeline, status, priority, source, webhook_url, idempotency_key, request_hash, attempts,
  max_attempts, token, step, result, error, metadata, created_at, started_at, finished_at, run_at, deadline, event_seq`;

export const nanosPerUsd = 1_000_000_000;

export function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    keyId: row.key_id,
    kind: row.kind,
    pipeline: row.pipeline,
    status: row.status,
    priority: row.priority,
    source: row.source,
    webhookUrl: row.webhook_url,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    token: row.token,
    step: row.step,
    result: row.result ?? null,
    error: row.error,
    metadata: row.metadata,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runAt: row.run_at,
    deadline: row.deadline,
  };
}

export function toRecord(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    tenant: row.tenant,
    pipeline: row.pipeline,
    promptVersion: row.prompt_version,
    model: row.model,
    deployment: row.deployment,
    attempts: row.attempts,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_nanos / nanosPerUsd,
    source: row.source,
    data: row.data,
    createdAt: row.created_at,
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    jobId: row.job_id,
    tenant: row.tenant,
    url: row.url,
    eventType: row.event_type,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // Only when stored: a delivery written with tracing off reads as it always did.
    ...(row.trace_context ? { traceContext: JSON.parse(row.trace_context) as Record<string, string> } : {}),
  };
}

/** The dispatch as createJob received it: fields it left out stay out. */
export function toDispatch(row: DispatchRow): EnqueueRequest {
  return {
    id: row.id,
    tenant: row.tenant,
    ...(row.priority === null ? {} : { priority: row.priority }),
    ...(row.run_at === null ? {} : { runAt: row.run_at }),
    ...(row.deadline === null ? {} : { deadline: row.deadline }),
    maxAttempts: row.max_attempts,
  };
}

/** The row createJob just wrote, without reading it back. */
export function newJobRecord(job: NewJob): JobRecord {
  return {
    id: job.id,
    tenant: job.tenant,
    keyId: job.keyId,
    kind: job.kind,
    pipeline: job.pipeline,
    status: 'queued',
    priority: job.priority,
    source: job.source,
    webhookUrl: job.webhookUrl,
    idempotencyKey: job.idempotencyKey,
    attempts: 0,
    maxAttempts: job.maxAttempts,
    token: 0,
    step: null,
    result: null,
    error: null,
    metadata: job.metadata,
    createdAt: job.createdAt,
    startedAt: null,
    finishedAt: null,
    runAt: job.runAt,
    deadline: job.deadline,
  };
}

/**
 * A new job's column values in the order both stores' job INSERT lists them (id … deadline).
 * `metadata` is the column's value: each store says how it writes an empty object.
 */
export function newJobValues(job: NewJob, metadata: string | null): unknown[] {
  return [
    job.id,
    job.tenant,
    job.keyId,
    job.kind,
    job.pipeline,
    job.priority,
    job.source,
    job.webhookUrl,
    job.idempotencyKey,
    job.requestHash,
    job.maxAttempts,
    metadata,
    job.createdAt,
    job.runAt,
    job.deadline,
  ];
}

/** A record's column values in the order both stores' INSERT INTO records lists them. */
export function recordValues(record: StoredRecord): unknown[] {
  return [
    record.id,
    record.jobId,
    record.tenant,
    record.pipeline,
    record.promptVersion,
    record.model,
    record.deployment,
    record.attempts,
    record.inputTokens,
    record.outputTokens,
    Math.round(record.costUsd * nanosPerUsd),
    record.source,
    JSON.stringify(record.data),
    record.createdAt,
  ];
}

/** What events and webhooks say about an error: code and message, not raw model output. */
export function publicError(error: JobError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

export function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: number; id: string } | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const colon = decoded.indexOf(':');
  const at = Number(decoded.slice(0, colon));
  if (colon < 1 || !Number.isFinite(at)) {
    throw new BreakwaterError('INVALID_REQUEST', 'The cursor is not one this API returned; pass next_cursor from the previous page unchanged.', { param: 'cursor' });
  }
  return { at, id: decoded.slice(colon + 1) };
}

export function page<T>(rows: T[], limit: number, cursorOf: (item: T) => string): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, nextCursor: more ? cursorOf(data[data.length - 1]!) : null };
}

/** An outbox entry's trace context as stored (JSON text), or null. */
export function traceContextText(webhook: WebhookOutboxEntry): string | null {
  return webhook.traceContext ? JSON.stringify(webhook.traceContext) : null;
}
