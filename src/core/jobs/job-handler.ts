import type { JobRecord } from '../ports/job-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { WebhookOutboxEntry } from '../ports/webhook-delivery-store.js';
import type { VirtualKey } from '../ports/store.js';
import type { JobInput } from './job-input.js';

export interface JobRun {
  job: JobRecord;
  input: JobInput;
  /** The submitting key: the job's model calls go through the gateway as this key (budgets, limits). */
  key: VirtualKey;
  attempt: number;
  /** Aborted when the job is cancelled, its lease is lost, its deadline passes or the worker stops. */
  signal: AbortSignal;
  /** Records a step label (`reading document`, …) as a `job-progress` event. */
  progress(step: string, data?: Record<string, unknown>): Promise<void>;
}

export interface JobOutcome {
  /** What GET /v1/jobs/:id shows as `result`. */
  result: unknown;
  /** A record for the `store` sink, written in the job's completion transaction. */
  record?: StoredRecord;
  /** Extra webhooks (a `record.created` sink), written in the same transaction. */
  webhooks?: (job: JobRecord) => readonly WebhookOutboxEntry[];
}

/** Runs one kind of job. Throws BreakwaterError; `retryable` decides whether it is tried again. */
export interface JobHandler {
  run(run: JobRun): Promise<JobOutcome>;
}
