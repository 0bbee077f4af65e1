import type { WireJobStatus } from './jobs.js';

/** Noun-verb job events, in the order a job can go through them. */
export const jobEventTypes = ['job-queued', 'job-start', 'job-progress', 'job-retry', 'job-end', 'job-fail', 'job-cancel'] as const;
export type WireJobEventType = (typeof jobEventTypes)[number];

/** The events after which a job changes no more: its event stream ends there. */
export const finalJobEventTypes: ReadonlySet<string> = new Set<WireJobEventType>(['job-end', 'job-fail', 'job-cancel']);

/**
 * One event of GET /v1/jobs/:id/events: the SSE `data:` (its `event:` is `type`, its `id:` is
 * `seq`). Besides the common fields, each type carries its own: `status` on job-queued,
 * job-end, job-fail and job-cancel; `attempt` on job-start and job-retry; `step` (and any
 * detail the step gives, such as `page` and `of`) on job-progress; `retry_at` and `error` on
 * job-retry; `error` on job-fail.
 */
export interface WireJobEvent {
  job_id: string;
  /** Counts from 1 per job; resume after it with `Last-Event-ID`. */
  seq: number;
  type: WireJobEventType;
  /** Unix seconds. */
  at: number;
  status?: WireJobStatus;
  attempt?: number;
  step?: string;
  /** Unix seconds. */
  retry_at?: number;
  /** Code and message only: details (raw model output) stay in the job's `error`. */
  error?: { code: string; message: string };
  [detail: string]: unknown;
}
