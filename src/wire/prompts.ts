import { z } from 'zod';

/** Prompt names: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const promptNamePattern = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** Labels start with a letter, so `name@3` (a version) and `name@production` (a label) never collide. */
export const promptLabelPattern = /^[a-z][a-z0-9._-]{0,63}$/;

const variableSchema = z
  .object({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'json']),
    required: z.boolean().default(true),
    default: z.unknown().optional(),
    enum: z.array(z.string()).min(1).optional(),
    maxLength: z.number().int().positive().optional(),
    description: z.string().max(1_000).optional(),
  })
  .strict();

/** POST /v1/prompts/:name/versions: one new version of a prompt. */
export const promptPushSchema = z
  .object({
    messages: z
      .array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string().min(1).max(200_000) }).strict())
      .min(1)
      .max(100),
    variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'variable names are a letter then letters, digits or _'), variableSchema).default({}),
    model: z.string().min(1).nullable().default(null),
    parameters: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        top_p: z.number().min(0).max(1).optional(),
        max_tokens: z.number().int().positive().optional(),
        max_completion_tokens: z.number().int().positive().optional(),
        seed: z.number().int().optional(),
        presence_penalty: z.number().min(-2).max(2).optional(),
        frequency_penalty: z.number().min(-2).max(2).optional(),
      })
      .strict()
      .default({}),
    response_schema: z.record(z.string(), z.unknown()).nullable().default(null),
    description: z.string().max(2_000).default(''),
    /** Admin token only: write this tenant's prompts instead of the shared ones. */
    tenant: z.string().min(1).max(200).optional(),
    /** Point these labels at the new version in the same call (each move audited). */
    labels: z.array(z.string().regex(promptLabelPattern, 'labels start with a lower-case letter')).max(10).optional(),
  })
  .strict();
export type PromptPush = z.infer<typeof promptPushSchema>;

/** PUT /v1/prompts/:name/labels/:label: point the label at a version. */
export const promptLabelMoveSchema = z.object({ version: z.number().int().positive(), tenant: z.string().min(1).max(200).optional() }).strict();

/** POST /v1/prompts/:name/labels/:label/rollback */
export const promptRollbackSchema = z.object({ tenant: z.string().min(1).max(200).optional() }).strict();

/** A chat request's `prompt`: which version to serve (by label, by number, or `production`), and its variables. */
export const chatPromptReferenceSchema = z
  .object({
    name: z.string().regex(promptNamePattern, 'prompt names are lower-case letters, digits, ., _ and -'),
    label: z.string().regex(promptLabelPattern, 'labels start with a lower-case letter').optional(),
    version: z.number().int().positive().optional(),
    variables: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .refine((reference) => reference.label === undefined || reference.version === undefined, { message: 'give either label or version, not both', path: ['version'] });
export type ChatPromptReference = z.infer<typeof chatPromptReferenceSchema>;

export interface WirePromptVersion {
  object: 'prompt.version';
  name: string;
  scope: string;
  version: number;
  messages: Array<{ role: string; content: string }>;
  variables: Record<string, unknown>;
  model: string | null;
  parameters: Record<string, unknown>;
  response_schema: Record<string, unknown> | null;
  description: string;
  sha256: string;
  created_by: string;
  /** Unix seconds. */
  created_at: number;
  /** The labels pointing at this version. */
  labels: string[];
}

export interface WirePromptAuditEntry {
  object: 'prompt.audit';
  name: string;
  scope: string;
  action: 'push' | 'label' | 'rollback';
  label: string | null;
  from_version: number | null;
  to_version: number;
  actor: string;
  /** Unix milliseconds. */
  at: number;
}

export interface WirePromptSummary {
  object: 'prompt';
  name: string;
  scope: string;
  latest_version: number;
  labels: Record<string, number>;
  updated_at: number;
}
