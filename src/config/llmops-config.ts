import { z } from 'zod';

/** `prompts:` the prompt registry's settings (docs/llmops.md#prompt-registry). */
export const promptsConfigSchema = z
  .object({
    /** Labels only the admin token may move or roll back. */
    protectedLabels: z.array(z.string().min(1)).default(['production']),
    /**
     * 0 (default): labels are read from the store on every prompt-referencing request (one
     * indexed read), so a move is served by every node's next request. Above 0, a node keeps a
     * label this long unless a move notice (PostgreSQL NOTIFY) drops it first: fewer reads, and
     * a node may serve the old version for the moment its notice is in flight.
     */
    labelCacheMs: z.number().int().min(0).max(600_000).default(0),
  })
  .strict();

const fieldRuleSchema = z
  .object({
    /** `exact`: equal JSON; `numeric`: within `tolerance` (absolute, or relative to the primary's value when `relative`); `normalized`: strings equal after NFKC, case folding and collapsed whitespace. */
    match: z.enum(['exact', 'numeric', 'normalized']),
    tolerance: z.number().nonnegative().default(0),
    relative: z.boolean().default(false),
  })
  .strict();

/** One shadow (docs/llmops.md#shadow-mode): which primary calls are sampled, and the candidate that runs beside them. */
export const shadowConfigSchema = z
  .object({
    /** The primary traffic: calls to a model alias, or calls served by a registry prompt (any version). */
    target: z.union([z.object({ alias: z.string().min(1) }).strict(), z.object({ prompt: z.string().min(1) }).strict()]),
    candidate: z.union([
      /** Another model alias, same messages. */
      z.object({ alias: z.string().min(1) }).strict(),
      /** Another prompt version (by label or number), rendered with the same variables. */
      z.object({ prompt: z.object({ name: z.string().min(1), label: z.string().min(1).optional(), version: z.number().int().positive().optional() }).strict() }).strict(),
      /** An HTTP endpoint holding the existing (non-AI) logic: POSTed the request as JSON, answers JSON. */
      z.object({ url: z.url(), headers: z.record(z.string(), z.string()).default({}) }).strict(),
    ]),
    /** Share of the target's successful calls that are shadowed, 0 to 1. */
    sampleRate: z.number().min(0).max(1).default(0.1),
    /** USD the candidate may spend per rolling 24 hours (across every node sharing the counters). */
    budgetUsd: z.number().nonnegative().default(1),
    timeoutMs: z.number().int().positive().default(30_000),
    /** Candidate calls in flight per node; a sample beyond it is skipped, never queued. */
    maxConcurrent: z.number().int().positive().default(4),
    compare: z
      .object({
        /** `auto`: per-field when both answers parse as JSON objects, text similarity otherwise. */
        mode: z.enum(['auto', 'structured', 'text']).default('auto'),
        /** Rules by field path (`total`, `vendor.name`, `line_items[].amount`); other fields use `defaultMatch`. */
        fields: z.record(z.string().min(1), fieldRuleSchema).default({}),
        defaultMatch: z.enum(['exact', 'normalized']).default('normalized'),
        /** Numbers with no rule of their own agree within this absolute tolerance. */
        numericTolerance: z.number().nonnegative().default(1e-9),
        /** Text answers agree when their embedding cosine similarity reaches this. */
        textSimilarity: z.number().min(0).max(1).default(0.85),
      })
      .strict()
      .prefault({}),
    promote: z
      .object({
        minSamples: z.number().int().positive().default(50),
        minAgreement: z.number().min(0).max(1).default(0.95),
        /** Candidate errors (timeouts, failures) allowed, as a share of its samples. */
        maxErrorRate: z.number().min(0).max(1).default(0.02),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type ShadowConfig = z.infer<typeof shadowConfigSchema>;

/** One strangler route (docs/llmops.md#strangler-split): a legacy handler, an AI path and the share between them. */
export const stranglerConfigSchema = z
  .object({
    legacy: z.object({ url: z.url(), headers: z.record(z.string(), z.string()).default({}), timeoutMs: z.number().int().positive().default(30_000) }).strict(),
    /** A registry prompt (its variables are taken from the request's input), and optionally the model alias it runs on. */
    ai: z.object({ prompt: z.string().min(1), label: z.string().min(1).default('production'), model: z.string().min(1).optional() }).strict(),
    /** JSON Schema the AI answer must meet; an answer that does not is a failure (the caller gets the legacy answer). */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** Percentage of end users (sticky) sent to the AI side. */
    percent: z.number().min(0).max(100).default(0),
    rollback: z
      .object({
        /** AI failures (errors and schema failures) over AI requests in the window that roll the route back to legacy. */
        maxFailureRate: z.number().gt(0).max(1).default(0.2),
        windowMs: z.number().int().positive().default(60_000),
        minRequests: z.number().int().positive().default(20),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** `monitors:` drift monitors over the ledger (docs/llmops.md#drift-monitors). */
export const monitorsConfigSchema = z
  .object({
    /** The current window: the last this many minutes. */
    windowMinutes: z.number().int().positive().default(60),
    /** The reference window: this many hours before the current one. */
    referenceHours: z.number().int().positive().default(24),
    minRequests: z.number().int().positive().default(20),
    latencyIncrease: z.number().positive().default(0.5),
    costIncrease: z.number().positive().default(0.5),
    errorRateIncrease: z.number().positive().max(1).default(0.05),
    outputLengthChange: z.number().positive().default(0.5),
    inputLengthChange: z.number().positive().default(0.5),
    /** Record schema failures, repairs, refusals and input embeddings of chat calls (the drift recorder). */
    recordQuality: z.boolean().default(true),
    /** Absolute rises of the schema-failure, repair and refusal rates that count as drift. */
    schemaFailureIncrease: z.number().positive().max(1).default(0.05),
    repairIncrease: z.number().positive().max(1).default(0.1),
    refusalIncrease: z.number().positive().max(1).default(0.05),
    /** Cosine distance between the windows' input centroids that counts as drift. */
    inputDistance: z.number().positive().max(2).default(0.2),
    /** Inputs embedded per second per node at most, and characters of each (bounded CPU). */
    inputEmbedPerSecond: z.number().int().min(0).default(20),
    inputMaxChars: z.number().int().positive().default(2000),
  })
  .strict();
