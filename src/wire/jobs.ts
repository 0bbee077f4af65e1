import { z } from 'zod';
import { chatRequestSchema } from './chat.js';

/**
 * The jobs API's wire format: what POST /v1/jobs accepts and what the job endpoints return
 * (events: job-events.ts, lists: list.ts). The server builds these shapes and the CLI reads
 * them; both import the types from here.
 */

const common = {
  webhook: z
    .object({ url: z.string().min(1).max(2048) })
    .strict()
    .optional(),
  /** Higher runs first, -100..100. */
  priority: z.number().int().min(-100).max(100).optional(),
  /** Not before this many seconds from now. */
  delay_seconds: z
    .number()
    .nonnegative()
    .max(30 * 86_400)
    .optional(),
  /** Must finish within this many seconds of submission, or it fails with JOB_DEADLINE_EXCEEDED. */
  deadline_seconds: z
    .number()
    .positive()
    .max(30 * 86_400)
    .optional(),
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
export type WireJobStatus = (typeof jobStatuses)[number];

/** A job's error: a catalogue code (docs/errors.md), a message that says what to do, details by code. */
export interface WireJobError {
  code: string;
  message: string;
  /** OUTPUT_INVALID carries `validation_errors` (at most 50); other codes their own JSON-safe details. */
  details?: { validation_errors?: Array<{ path: string; message: string }>; [name: string]: unknown };
}

/** One webhook of a job with its delivery log (GET /v1/jobs/:id). Times are Unix seconds. */
export interface WireWebhookDelivery {
  id: string;
  url: string;
  /** `job.succeeded`, `job.failed`, `job.cancelled` or `record.created`. */
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number | null;
  /** HTTP status of the last attempt; null when it got no answer. */
  last_status: number | null;
  last_error: string | null;
}

/** A job as the job endpoints return it and its webhooks carry it. Times are Unix seconds. */
export interface WireJob {
  id: string;
  object: 'job';
  kind: 'chat' | 'pipeline' | 'ingest' | 'workflow';
  pipeline: string | null;
  status: WireJobStatus;
  /** What a running job is doing (`reading document`, `extracting fields`, …). */
  step: string | null;
  /** The submitted document's name, when there was one. */
  source: string | null;
  priority: number;
  attempts: number;
  max_attempts: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  run_at: number;
  deadline: number | null;
  metadata: Record<string, string>;
  /** Null until the job succeeds: then a chat completion, or a pipeline job's WirePipelineResult. */
  result: unknown;
  error: WireJobError | null;
  webhook: { url: string } | null;
  /** GET /v1/jobs/:id only: each webhook the job sent and how its delivery went. */
  webhook_deliveries?: WireWebhookDelivery[];
  links: { self: string; events: string; cancel: string };
  /** Admin callers only: the tenant the job belongs to. */
  tenant?: string;
}

/** The `result` of a succeeded pipeline job. */
export interface WirePipelineResult {
  /** The id of the record the `store` sink kept; null when the pipeline has no `store` sink. */
  record_id: string | null;
  record: Record<string, unknown>;
  extraction_attempts: number;
  cost_usd: number;
}
