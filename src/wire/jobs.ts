import { z } from 'zod';
import type { JobEvent, JobRecord, StoredRecord, WebhookDelivery } from '../core/ports/job-store.js';
import { chatRequestSchema } from './chat.js';

/** The jobs API's wire format: what POST /v1/jobs accepts and what the job endpoints return. */

const common = {
  webhook: z.object({ url: z.string().min(1).max(2048) }).strict().optional(),
  /** Higher runs first, -100..100. */
  priority: z.number().int().min(-100).max(100).optional(),
  /** Not before this many seconds from now. */
  delay_seconds: z.number().nonnegative().max(30 * 86_400).optional(),
  /** Must finish within this many seconds of submission, or it fails with JOB_DEADLINE_EXCEEDED. */
  deadline_seconds: z.number().positive().max(30 * 86_400).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).optional(),
};

const documentSchema = z
  .object({
    name: z.string().min(1).max(255).optional(),
    media_type: z.string().min(1).max(255).optional(),
    /** The file's bytes, base64. */
    data: z.string().min(1),
  })
  .strict();

export const submitJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chat'), request: chatRequestSchema, ...common }).strict(),
  z
    .object({
      kind: z.literal('pipeline'),
      pipeline: z.string().min(1).max(128),
      document: documentSchema.optional(),
      /** Plain text instead of a document. */
      text: z.string().min(1).optional(),
      ...common,
    })
    .strict()
    .refine((body) => (body.document === undefined) !== (body.text === undefined), {
      message: 'give exactly one of document (a file, base64) or text',
      path: ['document'],
    }),
]);
export type SubmitJob = z.infer<typeof submitJobSchema>;

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export function jobLinks(id: string): { self: string; events: string; cancel: string } {
  return { self: `/v1/jobs/${id}`, events: `/v1/jobs/${id}/events`, cancel: `/v1/jobs/${id}/cancel` };
}

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** A job as the API shows it (and as webhooks carry it). */
export function toWireJob(job: JobRecord, deliveries?: readonly WebhookDelivery[]): Record<string, unknown> {
  return {
    id: job.id,
    object: 'job',
    kind: job.kind,
    pipeline: job.pipeline,
    status: job.status,
    step: job.step,
    source: job.source,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    created_at: seconds(job.createdAt),
    started_at: seconds(job.startedAt),
    finished_at: seconds(job.finishedAt),
    run_at: seconds(job.runAt),
    deadline: seconds(job.deadline),
    metadata: job.metadata,
    result: job.result ?? null,
    error: job.error,
    webhook: job.webhookUrl ? { url: job.webhookUrl } : null,
    ...(deliveries ? { webhook_deliveries: deliveries.map(toWireDelivery) } : {}),
    links: jobLinks(job.id),
  };
}

export function toWireDelivery(delivery: WebhookDelivery): Record<string, unknown> {
  return {
    id: delivery.id,
    url: delivery.url,
    type: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: seconds(delivery.nextAttemptAt),
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
  };
}

export function toWireEvent(event: JobEvent): Record<string, unknown> {
  return { job_id: event.jobId, seq: event.seq, type: event.type, at: seconds(event.at), ...event.data };
}

export function toWireRecord(record: StoredRecord): Record<string, unknown> {
  return {
    id: record.id,
    object: 'record',
    pipeline: record.pipeline,
    data: record.data,
    provenance: {
      job_id: record.jobId,
      prompt_version: record.promptVersion,
      model: record.model,
      deployment: record.deployment,
      attempts: record.attempts,
      input_tokens: record.inputTokens,
      output_tokens: record.outputTokens,
      cost_usd: record.costUsd,
      source: record.source,
    },
    created_at: seconds(record.createdAt),
  };
}
