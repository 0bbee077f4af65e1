import { z } from 'zod';
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
