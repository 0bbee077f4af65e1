import type { Page } from './page.js';
import type { EnqueueRequest } from './queue.js';
import type { StoredRecord } from './record-store.js';
import type { WebhookDelivery, WebhookOutboxEntry } from './webhook-delivery-store.js';

export type JobKind = 'chat' | 'pipeline' | 'ingest' | 'workflow';
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
 * The job lifecycle (the store's jobs domain): jobs, their inputs and their events. Every
 * state change is one transaction that also appends its event, and every change a worker
 * makes is fenced by its claim token: a worker whose lease was taken over changes nothing
 * (the method returns undefined).
 *
 * The store is split by domain — records (RecordStore), webhook deliveries
 * (WebhookDeliveryStore), the dispatch outbox (DispatchOutbox) and prompts (PromptStore) are
 * their own ports — but a transition must commit with the rows it implies in other domains:
 * a job's dispatch with the job, a pipeline record and the job-end webhook with the
 * completion, the job-fail or job-cancel webhook with the failure or cancellation. So those
 * cross-domain units of work stay here, as single methods taking the other domains' rows
 * (`dispatch`, `record`, `webhooks`), and each adapter writes them with that domain's row
 * writers on its own transaction (the group commit in SQLite, one connection in PostgreSQL).
 * The other ports only read their rows or change them on their own (claim, record an
 * attempt, mark sent). A store-level `transaction(fn)` handing each port a transactional view
 * was the alternative; it would cost PostgreSQL's one-statement job creation (one round trip
 * per submission) and let core code compose writes whose atomicity only an adapter can check.
 * Retention (`deleteFinishedBefore`) and the API's read of a job with its delivery log span
 * domains in the same way and stay here too.
 */
export interface JobStore {
  /**
   * Writes the job, its input, its `job-queued` event and its dispatch in one transaction
   * (the dispatch is the queue item itself in the embedded store, an outbox row otherwise).
   * With an idempotency key already used by the tenant: the existing job (`created: false`),
   * or IDEMPOTENCY_KEY_REUSED when the request hash differs. The input comes as the chunks
   * `encodeJobInput` made (one, or ~¼ MB each for megabytes); a store may write large ones
   * in transactions of their own before the job's, so no single write copies megabytes on the
   * event loop, as long as a crash between them leaves no job without its input.
   */
  createJob(job: NewJob, input: readonly Uint8Array[], dispatch: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }>;
  getJob(id: string, tenant?: string): Promise<JobRecord | undefined>;
  /** A tenant's job (whichever tenant owns it when `tenant` is undefined: the admin's view) with its webhook delivery log, in one read (the API's GET of a job). */
  getJobWithDeliveries(id: string, tenant?: string): Promise<{ job: JobRecord; deliveries: WebhookDelivery[] } | undefined>;
  findByIdempotencyKey(tenant: string, idempotencyKey: string): Promise<JobRecord | undefined>;
  /** The job's input as stored: one chunk, or the chunks it was written in. */
  getInput(id: string): Promise<Uint8Array[] | undefined>;
  /** Newest first: one tenant's jobs, or every tenant's when `tenant` is undefined (the admin's view). */
  listJobs(tenant: string | undefined, filter: JobListFilter): Promise<Page<JobRecord>>;
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

  /** Deletes jobs that ended before `before`, with their events, inputs and deliveries (records stay). */
  deleteFinishedBefore(before: number): Promise<number>;
}
