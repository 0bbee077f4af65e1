import type { Page } from './page.js';
import type { EnqueueRequest } from './queue.js';
import type { StoredRecord } from './record-store.js';

export type JobKind = 'chat' | 'pipeline';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const terminalStatuses: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A job as stored (its input body lives apart: see `JobStore.getInput`). */
export interface JobRecord {
  id: string;
  tenant: string;
  keyId: string;
  kind: JobKind;
  pipeline: string | null;
  status: JobStatus;
  priority: number;
  /** Name of the submitted document, when there is one. */
  source: string | null;
  webhookUrl: string | null;
  idempotencyKey: string | null;
  attempts: number;
  maxAttempts: number;
  /** Fencing token of the claim that last started the job. */
  token: number;
  /** Human step label while running (`reading document`, `extracting fields`, …). */
  step: string | null;
  result: unknown;
  error: JobError | null;
  metadata: Record<string, string>;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  runAt: number;
  deadline: number | null;
}

export type JobEventType = 'job-queued' | 'job-start' | 'job-progress' | 'job-retry' | 'job-end' | 'job-fail' | 'job-cancel';

/** Noun-verb events; `seq` counts from 1 per job and is the SSE event id. */
export interface JobEvent {
  jobId: string;
  seq: number;
  type: JobEventType;
  data: Record<string, unknown>;
  at: number;
}

export interface NewJob {
  id: string;
  tenant: string;
  keyId: string;
  kind: JobKind;
  pipeline: string | null;
  priority: number;
  source: string | null;
  webhookUrl: string | null;
  idempotencyKey: string | null;
  /** Hash of the submitted body: the same Idempotency-Key with another body is refused. */
  requestHash: string;
  maxAttempts: number;
  metadata: Record<string, string>;
  createdAt: number;
  runAt: number;
  deadline: number | null;
}

/**
 * A webhook to send, written in the same transaction as the state change it reports. Store
 * methods take a function of the job after the change, so the body shows the final state.
 */
export interface WebhookOutboxEntry {
  id: string;
  url: string;
  eventType: string;
  body: string;
}

export interface WebhookDelivery {
  id: string;
  jobId: string;
  tenant: string;
  url: string;
  eventType: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface JobListFilter {
  status?: JobStatus;
  pipeline?: string;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  limit: number;
}

export interface Transition {
  job: JobRecord;
  event: JobEvent;
}

/**
 * Jobs, their events, pipeline records and webhook deliveries. Every state change is one
 * transaction that also appends its event (and, when given, its webhook and record), and
 * every change a worker makes is fenced by its claim token: a worker whose lease was taken
 * over changes nothing (the method returns undefined).
 */
export interface JobStore {
  /**
   * Writes the job, its input, its `job-queued` event and its dispatch in one transaction
   * (the dispatch is the queue item itself in the embedded store, an outbox row otherwise).
   * With an idempotency key already used by the tenant: the existing job (`created: false`),
   * or IDEMPOTENCY_KEY_REUSED when the request hash differs.
   */
  createJob(job: NewJob, input: Uint8Array, dispatch: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }>;
  getJob(id: string, tenant?: string): Promise<JobRecord | undefined>;
  /** A tenant's job with its webhook delivery log, in one read (the API's GET of a job). */
  getJobWithDeliveries(id: string, tenant: string): Promise<{ job: JobRecord; deliveries: WebhookDelivery[] } | undefined>;
  findByIdempotencyKey(tenant: string, idempotencyKey: string): Promise<JobRecord | undefined>;
  getInput(id: string): Promise<Uint8Array | undefined>;
  listJobs(tenant: string, filter: JobListFilter): Promise<Page<JobRecord>>;
  /** Unfinished jobs (waiting, delayed or running) per tenant and in total, for backpressure. */
  countQueued(): Promise<{ total: number; byTenant: ReadonlyMap<string, number> }>;
  /** Events after `afterSeq`, oldest first. */
  events(jobId: string, afterSeq: number): Promise<JobEvent[]>;

  /**
   * queued|running → running under `token`, if no later claim started it. A store may return
   * the job's input with it (saving the worker a read); otherwise the worker calls getInput.
   */
  startJob(id: string, token: number, attempt: number, at: number): Promise<(Transition & { input?: Uint8Array }) | undefined>;
  progress(id: string, token: number, step: string, data: Record<string, unknown>, at: number): Promise<Transition | undefined>;
  completeJob(
    id: string,
    token: number,
    result: unknown,
    at: number,
    extras: { record?: StoredRecord; webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[] },
  ): Promise<Transition | undefined>;
  /** A failed attempt: back to queued with `retryAt`, or failed for good when `retryAt` is null. */
  failJob(
    id: string,
    token: number,
    error: JobError,
    retryAt: number | null,
    at: number,
    webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[],
  ): Promise<Transition | undefined>;
  /** Fails a job the queue dead-lettered without a worker (lease expired too often, deadline). Not fenced. */
  abandonJob(id: string, error: JobError, at: number, webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[]): Promise<Transition | undefined>;
  /** queued|running → cancelled. Undefined when no such job; the job unchanged when it already ended. */
  cancelJob(
    id: string,
    tenant: string,
    at: number,
    webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[],
  ): Promise<{ job: JobRecord; event: JobEvent | undefined } | undefined>;

  /**
   * Claims up to `limit` pending deliveries due at `now` (oldest first) whose lease is free
   * (never taken, or run out), for `claimant` until `now + leaseMs`. Dispatchers on several
   * nodes claiming at once never get the same delivery while its lease runs. `claimant`
   * names one claim (a fresh value per call), so a later claim never passes for an earlier one.
   */
  claimDeliveries(claimant: string, now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Records one attempt of a delivery `claimant` holds and frees its lease. False, changing
   * nothing, when another claim holds the delivery now or it is no longer pending: a delivered
   * or failed delivery never changes again.
   */
  recordDeliveryAttempt(
    id: string,
    claimant: string,
    outcome: { delivered: boolean; status: number | null; error: string | null; nextAttemptAt: number | null },
    at: number,
  ): Promise<boolean>;
  deliveriesOf(jobId: string): Promise<WebhookDelivery[]>;

  /** Deletes jobs that ended before `before`, with their events, inputs and deliveries (records stay). */
  deleteFinishedBefore(before: number): Promise<number>;
}
