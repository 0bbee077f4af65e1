import { piiModes } from '../core/ports/store.js';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { piiTypes } from '../core/pii/pii-type.js';
import { autoRouteConfigSchema } from '../core/routing/auto/rules.js';
import { z } from 'zod';

/**
 * The one strict schema of Breakwater's configuration (breakwater.yaml + environment).
 * Defaults live here and nowhere else. Secrets are never literal strings: they are
 * `{ env: NAME }` or `{ file: PATH }` references resolved once at start-up.
 */

export { secretRefSchema, type SecretRef } from './secret-ref.js';
import { monitorsConfigSchema, promptsConfigSchema, shadowConfigSchema, stranglerConfigSchema } from './llmops-config.js';
import { secretRefSchema } from './secret-ref.js';
import { postgresSinkConfigSchema } from './postgres-sink-config.js';

const priceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per 1M input tokens'),
    output: z.number().nonnegative().describe('USD per 1M output tokens'),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

const headersSchema = z.record(z.string(), z.string()).default({});
/** Longest silence between two chunks of an upstream stream before it is cut with GATEWAY_UPSTREAM_TIMEOUT. */
const streamIdleTimeoutSchema = z.number().int().positive().default(30_000);

const providerSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('openai'),
      baseUrl: z.url().default('https://api.openai.com/v1'),
      apiKey: secretRefSchema.optional(),
      headers: headersSchema,
      connections: z.number().int().positive().default(128),
      streamIdleTimeoutMs: streamIdleTimeoutSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('openai-compatible'),
      /** A known vendor fills in the base URL and quirks; see docs/configuration.md. */
      vendor: z.enum(['groq', 'together', 'ollama', 'vllm', 'llamacpp', 'fireworks', 'deepseek', 'mistral', 'openrouter']).optional(),
      baseUrl: z.url().optional(),
      apiKey: secretRefSchema.optional(),
      headers: headersSchema,
      connections: z.number().int().positive().default(128),
      streamIdleTimeoutMs: streamIdleTimeoutSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('anthropic'),
      baseUrl: z.url().default('https://api.anthropic.com'),
      apiKey: secretRefSchema.optional(),
      headers: headersSchema,
      version: z.string().default('2023-06-01'),
      connections: z.number().int().positive().default(128),
      streamIdleTimeoutMs: streamIdleTimeoutSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('mock'),
      /** Fixed reply text; by default the mock echoes the last user message. */
      reply: z.string().optional(),
      latencyMs: z.number().int().nonnegative().default(0),
      embeddingDimensions: z.number().int().positive().default(256),
    })
    .strict(),
  z
    .object({
      type: z.literal('local'),
      /** Path to a .gguf file (`breakwater models pull <name>` downloads one). */
      model: z.string().min(1),
      /** The `breakwater models pull` name or URI of that file; the error for a missing file names the command. */
      pull: z.string().min(1).optional(),
      /** Download `pull` in the background on first use when the file is missing (the embedded default does). */
      autoPull: z.boolean().default(false),
      /** CPU threads per context; unset means cores ÷ sequences (at least 1): llama.cpp threads that outnumber the cores spin (its own default was ~500x slower here). */
      threads: z.number().int().positive().optional(),
      contextSize: z.number().int().positive().default(2048),
      /** Requests generated in parallel (slots of one context). */
      sequences: z.number().int().positive().default(2),
      /** Requests that may wait beyond the busy slots; more get 503 SERVER_OVERLOADED. */
      maxQueue: z.number().int().nonnegative().default(16),
      idleUnloadMs: z.number().int().positive().default(300_000),
      embedding: z.boolean().default(false),
      /** Longer than HTTP providers': evaluating a long prompt on a small CPU is silent too. */
      streamIdleTimeoutMs: z.number().int().positive().default(120_000),
    })
    .strict(),
]);
export type ProviderConfig = z.infer<typeof providerSchema>;

const deploymentSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    weight: z.number().positive().default(1),
    timeoutMs: z.number().int().positive().default(60_000),
    retries: z.number().int().min(0).max(10).default(2),
    price: priceSchema.optional(),
  })
  .strict();
export type DeploymentConfig = z.infer<typeof deploymentSchema>;

/** A PII policy: what happens to personal data in requests (docs/governance.md#pii). */
const piiPolicySchema = z
  .object({
    /** off < log < redact < mask < block; a key's own policy applies when it is stricter. */
    mode: z.enum(piiModes).default('off'),
    /** Types the policy applies to; default every type. */
    types: z.array(z.enum(piiTypes)).min(1).optional(),
    /** Find person names with the NLP tagger too (names caught 0.745 → 0.856 on bench:pii's blind set; about 20-40 ms of CPU per KB, in a worker thread). */
    nlp: z.boolean().default(false),
    /** Countries whose national phone formats count (ISO 3166 codes, tried in order); +CC numbers always count. Default in src/core/pii/detectors/phone.ts. */
    phoneRegions: z
      .array(z.string().refine((code) => isSupportedCountry(code), { message: 'must be a country code libphonenumber knows, such as NL or BR' }))
      .min(1)
      .optional(),
  })
  .strict();
export type PiiPolicyConfig = z.infer<typeof piiPolicySchema>;

const modelSchema = z
  .object({
    strategy: z.enum(['fallback', 'loadbalance']).default('fallback'),
    deployments: z.array(deploymentSchema).min(1),
    description: z.string().optional(),
    /** This alias's PII policy; default the top-level `pii`. */
    pii: piiPolicySchema.optional(),
    /** Per-alias semantic cache switch and threshold; default `cache.semantic`. */
    semanticCache: z
      .object({ enabled: z.boolean().optional(), threshold: z.number().gt(0).max(1).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type ModelConfig = z.infer<typeof modelSchema>;

const pipelineSinkSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('store') }).strict(),
  z.object({ type: z.literal('webhook'), url: z.url() }).strict(),
  postgresSinkConfigSchema,
]);
export type PipelineSinkConfig = z.infer<typeof pipelineSinkSchema>;

export const defaultAccepts = [
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/html',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

const inlinePromptSchema = z
  .object({
    /** Bump when the text changes: records name the version that produced them. */
    version: z.number().int().positive(),
    system: z.string().min(1).default('You extract structured data from documents. Answer with one JSON object and nothing else.'),
    /** The user message; `{{document}}` is the document's text, `{{filename}}` its name. */
    template: z.string().refine((text) => /\{\{\s*document\s*\}\}/.test(text), 'must contain {{document}}, where the document text goes'),
  })
  .strict();
export type InlinePromptConfig = z.infer<typeof inlinePromptSchema>;

const pipelineSchema = z
  .object({
    description: z.string().default(''),
    /** Media types a document may have (`text/*` allowed). */
    accepts: z.array(z.string().min(1)).min(1).default(defaultAccepts),
    /** Model alias the extraction calls (through the gateway, as the submitting key). */
    model: z.string().min(1),
    /** Inline (versioned here), or a shared registry prompt as `name@label` / `name@version` (docs/llmops.md). */
    prompt: z.union([
      inlinePromptSchema,
      z.string().regex(/^[a-z0-9][a-z0-9._-]*@([a-z][a-z0-9._-]*|[1-9][0-9]*)$/, 'a registry prompt is name@label or name@version, e.g. invoice-extract@production'),
    ]),
    /** JSON Schema of one record (an object); or `schemaFile`, a path relative to the config file. */
    schema: z.record(z.string(), z.unknown()).optional(),
    schemaFile: z.string().min(1).optional(),
    extraction: z
      .object({
        /** auto: grammar for local models, native json_schema where every deployment has it, else prompt. */
        strategy: z.enum(['auto', 'native', 'grammar', 'prompt']).default('auto'),
        maxAttempts: z.number().int().min(1).max(10).default(3),
        temperature: z.number().min(0).max(2).optional(),
        maxOutputTokens: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    /** Where records go; the store (readable at GET /v1/pipelines/:name/records) by default. */
    sinks: z
      .array(pipelineSinkSchema)
      .min(1)
      .default([{ type: 'store' }]),
    /** Job webhook for this pipeline's jobs, unless a submission names its own. */
    webhook: z.object({ url: z.url() }).strict().optional(),
  })
  .strict()
  .refine((pipeline) => (pipeline.schema === undefined) !== (pipeline.schemaFile === undefined), {
    message: 'give exactly one of schema (inline JSON Schema) or schemaFile (a path)',
    path: ['schema'],
  });
export type PipelineConfig = z.infer<typeof pipelineSchema>;

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
        /** Most requests one process serves at once; more are answered 503 at once. */
        maxConcurrentRequests: z.number().int().positive().default(1024),
        /** Open job event streams (GET /v1/jobs/:id/events) per process; more are answered 503. */
        maxEventStreams: z.number().int().positive().default(1_000),
        /** Open job event streams per tenant per process; more are answered 429. */
        maxEventStreamsPerTenant: z.number().int().positive().default(50),
        /** Longest URL path segment (e.g. a job id) the router accepts; longer ones are answered 414. */
        maxParamLength: z.number().int().positive().default(200),
        /** Longest a client may take to send one whole request (headers and body); slower ones are answered 408 and closed. */
        requestTimeoutMs: z.number().int().min(1_000).default(60_000),
      })
      .strict()
      .prefault({}),
    store: z
      .discriminatedUnion('driver', [
        z.object({ driver: z.literal('sqlite'), path: z.string().default('./data/breakwater.db') }).strict(),
        z
          .object({
            driver: z.literal('postgres'),
            /** postgres://user:password@host:5432/database, a secret. */
            url: secretRefSchema,
            poolSize: z.number().int().positive().default(10),
            /** Connections kept for the reads clients wait on (keys, job status, events); 0 shares poolSize's. */
            readPoolSize: z.number().int().min(0).default(4),
          })
          .strict(),
      ])
      .prefault({ driver: 'sqlite' }),
    queue: z
      .discriminatedUnion('driver', [
        /** The embedded queue: a table in the SQLite store (store.driver must be sqlite). */
        z.object({ driver: z.literal('sqlite') }).strict(),
        z
          .object({
            driver: z.literal('rabbitmq'),
            /** amqp://user:password@host:5672/vhost, a secret. */
            url: secretRefSchema,
            /** Prefix of the exchanges and queues Breakwater declares. */
            name: z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]*$/)
              .default('breakwater.jobs'),
            /** Messages a worker holds unacknowledged (defaults to jobs.concurrency). */
            prefetch: z.number().int().positive().optional(),
          })
          .strict(),
      ])
      .prefault({ driver: 'sqlite' }),
    counters: z
      .discriminatedUnion('driver', [
        z.object({ driver: z.literal('memory') }).strict(),
        z.object({ driver: z.literal('redis'), url: secretRefSchema, prefix: z.string().default('bw:') }).strict(),
      ])
      .prefault({ driver: 'memory' }),
    events: z
      .discriminatedUnion('driver', [
        /** In-process: every follower is in this process (the embedded shape). */
        z.object({ driver: z.literal('memory') }).strict(),
        z.object({ driver: z.literal('redis'), url: secretRefSchema, prefix: z.string().default('bw:') }).strict(),
      ])
      .prefault({ driver: 'memory' }),
    cache: z
      .object({
        driver: z.enum(['memory', 'redis']).default('memory'),
        /** With driver redis: the server, a secret. */
        url: secretRefSchema.optional(),
        prefix: z.string().default('bw:'),
        exact: z
          .object({
            enabled: z.boolean().default(true),
            ttlSeconds: z.number().int().positive().default(3600),
            maxEntries: z.number().int().positive().default(10_000),
          })
          .strict()
          .prefault({}),
        /** Answers reused across questions that mean the same (docs/governance.md#semantic-cache). */
        semantic: z
          .object({
            /** For every alias; `models.<alias>.semanticCache.enabled` turns it on or off per alias. */
            enabled: z.boolean().default(false),
            /** Minimum cosine similarity of a hit; unset: the embedder's calibrated one (built in: 0.6; a model: embedder.threshold, else 0.9). */
            threshold: z.number().gt(0).max(1).optional(),
            ttlSeconds: z.number().int().positive().default(3600),
            /** Entries kept per process; the oldest go first. */
            maxEntries: z.number().int().positive().default(100_000),
            /** Scope indexes held in memory (~2.5 MB each with HNSW); the least recently used is written out and closed beyond it. */
            maxScopes: z.number().int().positive().default(64),
            /** Scopes kept on disk (in memory where nothing persists); the least recently used is deleted beyond it. */
            maxStoredScopes: z.number().int().positive().default(10_000),
            embedder: z
              .discriminatedUnion('driver', [
                /** Built in, no model: hashed word and character n-grams. */
                z.object({ driver: z.literal('hashed-ngram'), dimension: z.number().int().min(16).max(4096).default(256) }).strict(),
                /** An embeddings model alias (OpenAI-compatible, or a local GGUF with embedding: true). */
                z
                  .object({
                    driver: z.literal('model'),
                    model: z.string().min(1),
                    dimension: z.number().int().positive(),
                    /** The model places a question and its translation together: hits across languages are allowed. */
                    multilingual: z.boolean().default(false),
                    /** This model's threshold, calibrated with bench:cache (bench/cache/README.md); default 0.9. */
                    threshold: z.number().gt(0).max(1).optional(),
                  })
                  .strict(),
              ])
              .prefault({ driver: 'hashed-ngram' }),
            index: z
              .discriminatedUnion('driver', [
                /** Approximate nearest neighbours (hnswlib), persisted in `directory` and rebuilt from its log if the index file is missing. */
                z
                  .object({
                    driver: z.literal('hnsw'),
                    /** Default: `semantic-cache/` next to the SQLite file; none (memory only) with PostgreSQL. */
                    directory: z.string().min(1).optional(),
                    flushIntervalSeconds: z.number().int().positive().default(30),
                    m: z.number().int().min(4).max(64).default(16),
                    efConstruction: z.number().int().min(16).default(128),
                    efSearch: z.number().int().min(8).default(64),
                  })
                  .strict(),
                /** Exact search over every vector: the reference, fine below ~10k entries. */
                z.object({ driver: z.literal('exact') }).strict(),
                /**
                 * PostgreSQL with pgvector, shared by every API node on the database (vectors and answers;
                 * docs/retrieval.md#shared-semantic-cache-index). `url` defaults to `store.url`.
                 */
                z
                  .object({
                    driver: z.literal('pgvector'),
                    url: secretRefSchema.optional(),
                    efSearch: z.number().int().min(8).default(64),
                  })
                  .strict(),
              ])
              .prefault({ driver: 'hnsw' }),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    admin: z.object({ token: secretRefSchema.optional() }).strict().prefault({}),
    /** With a token, GET /metrics answers only `Authorization: Bearer <token>` (at least 32 characters). */
    metrics: z.object({ token: secretRefSchema.optional() }).strict().prefault({}),
    /** The web dashboard at /ui (docs/dashboard.md): on by default on API nodes; how long a login lasts. */
    ui: z
      .object({ enabled: z.boolean().default(true), sessionMinutes: z.number().int().min(1).max(43_200).default(480) })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** One line per request (request id, method, route, status, ms; never bodies, keys or prompt text). */
        requests: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    telemetry: z
      .object({
        serviceName: z.string().default('breakwater'),
        otlp: z
          .object({ endpoint: z.url(), headers: z.record(z.string(), secretRefSchema).default({}) })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    ledger: z
      .object({
        retentionDays: z.number().int().positive().default(90),
        flushIntervalMs: z.number().int().positive().default(200),
        /** Rows held in memory while the store refuses ledger writes; beyond it the oldest are dropped (and counted). */
        maxBufferedRows: z.number().int().positive().default(100_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /** Output cap the gateway sets when the client sets none and no budget forces a lower one. */
        defaultMaxOutputTokens: z.number().int().positive().default(4096),
      })
      .strict()
      .prefault({}),
    routing: z
      .object({
        backoffBaseMs: z.number().int().positive().default(250),
        backoffMaxMs: z.number().int().positive().default(8000),
        /** A Retry-After longer than this moves on to the next deployment instead of waiting. */
        maxRetryAfterMs: z.number().int().nonnegative().default(10_000),
        breaker: z
          .object({
            failureThreshold: z.number().int().positive().default(5),
            cooldownMs: z.number().int().positive().default(30_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    jobs: z
      .object({
        /** Jobs one worker process runs at once. */
        concurrency: z.number().int().positive().default(8),
        /** A worker heartbeats every third of this; a job whose worker stops is handed on after it. */
        leaseMs: z.number().int().min(100).default(30_000),
        /** How often an idle worker looks for delayed or recovered jobs (it is woken at once for new ones). */
        pollMs: z.number().int().positive().default(1_000),
        /** How often expired leases and passed deadlines are swept. */
        recoverMs: z.number().int().positive().default(5_000),
        maxAttempts: z.number().int().min(1).max(20).default(3),
        retryBaseMs: z.number().int().positive().default(2_000),
        retryMaxMs: z.number().int().positive().default(300_000),
        maxQueued: z.number().int().positive().default(100_000),
        maxQueuedPerTenant: z.number().int().positive().default(10_000),
        /** Largest POST /v1/jobs body (a base64 document is 4/3 of its file). */
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
        /** Finished jobs (and their events and inputs) are deleted after this; records stay. */
        retentionDays: z.number().int().positive().default(30),
        /** On shutdown, running jobs get this long to finish before they go back to the queue. */
        shutdownGraceMs: z.number().int().nonnegative().default(10_000),
        documents: z
          .object({
            maxBytes: z
              .number()
              .int()
              .positive()
              .default(10 * 1024 * 1024),
            maxChars: z.number().int().positive().default(400_000),
            /** A PDF with more pages fails before any page is read. */
            maxPages: z.number().int().positive().default(2_000),
            /** Documents are read in child processes: this many at once, each killed past timeoutMs or maxMemoryMb. */
            processes: z.number().int().min(1).max(64).default(1),
            timeoutMs: z.number().int().positive().default(60_000),
            maxMemoryMb: z.number().int().min(192).default(512),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    webhooks: z
      .object({
        /** Signing secrets; the first signs, all are sent during a rotation. Webhooks are refused until one is set. */
        secrets: z.array(secretRefSchema).default([]),
        /** Hosts, `*.suffix` wildcards, IPs or CIDRs allowed even though private (SSRF protection). */
        allow: z.array(z.string().min(1)).default([]),
        timeoutMs: z.number().int().positive().default(10_000),
        maxAttempts: z.number().int().min(1).max(20).default(8),
        /** First retry delay; doubles per attempt (equal jitter), at most 30 minutes. */
        retryBaseMs: z.number().int().positive().default(10_000),
        pollMs: z.number().int().positive().default(1_000),
      })
      .strict()
      .prefault({}),
    /** Collections, ingestion, hybrid search and cited answers (docs/retrieval.md). */
    retrieval: z
      .object({
        /** Unset: on with a SQLite store, off with PostgreSQL (which needs the `vector` extension: pgvector). */
        enabled: z.boolean().optional(),
        /** The embedded shape's retrieval file; unset: retrieval.sqlite beside store.path. */
        path: z.string().min(1).optional(),
        /** Dimension of the built-in embedder for collections that do not name one. */
        builtinDimension: z.number().int().min(16).max(4_096).default(256),
        /** The embedded HNSW graphs (one per collection); efSearch is also pgvector's hnsw.ef_search. Defaults measured in docs/retrieval.md. */
        hnsw: z
          .object({
            m: z.number().int().min(4).max(64).default(32),
            efConstruction: z.number().int().min(16).max(1_000).default(200),
            efSearch: z.number().int().min(8).max(1_000).default(400),
          })
          .strict()
          .prefault({}),
        /** Ingested documents may be given by URL (fetched through the SSRF guard; webhooks.allow applies). */
        fetchUrls: z.boolean().default(true),
        /** Watched sources the worker nodes re-sync on a schedule, each round on one node only (docs/retrieval.md#watched-sources). */
        sources: z
          .record(
            z.string().regex(/^[a-z0-9_-]{1,64}$/),
            z
              .object({
                collection: z.string().regex(/^[a-z0-9_-]{1,64}$/),
                /** The id of the virtual key the source ingests as (its tenant owns the collection; its budgets apply). */
                key: z.string().min(1),
                /** Seconds between rounds. */
                every: z.number().int().min(1).default(300),
                directory: z.string().min(1).optional(),
                postgres: z
                  .object({ url: secretRefSchema, query: z.string().min(1), idColumn: z.string().min(1).default('id') })
                  .strict()
                  .optional(),
                /** Delete the collection's documents the source no longer has. */
                prune: z.boolean().default(false),
              })
              .strict()
              .refine((source) => (source.directory === undefined) !== (source.postgres === undefined), 'give either directory or postgres'),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
    /** Agent workflows (docs/workflows.md). */
    workflows: z
      .object({
        /** Definitions: YAML or JSON files, or JavaScript/TypeScript modules whose default export is a defineWorkflow() (or a list). */
        files: z.array(z.string().min(1)).default([]),
        /** How long an approval request waits before it expires (a rejection by `system`); default 7 days. */
        approvalTimeoutMs: z
          .number()
          .int()
          .positive()
          .default(7 * 86_400_000),
        /** How often worker nodes expire approvals and look for stalled runs. */
        sweepMs: z.number().int().positive().default(5_000),
        /** A queued or running run whose row has not moved for this long gets its advance job again. */
        stalledMs: z.number().int().positive().default(60_000),
        /** Claims an advance job may take before the run fails (a worker killed mid-run is one). */
        maxAttempts: z.number().int().min(1).max(100).default(20),
        /** Finished runs (with their journals and approvals) are deleted after this. */
        retentionDays: z.number().int().positive().default(30),
      })
      .strict()
      .prefault({}),
    /** Personal data in requests, for every alias without its own `pii`. */
    pii: piiPolicySchema.prefault({}),
    /** Cost-aware `auto` aliases: each picks one of its tiers (model aliases) per request. */
    autoRoutes: z
      .record(
        z.string().min(1),
        autoRouteConfigSchema.safeExtend({
          /**
           * Structured calls (`response_format: json_schema`, pipelines) the router sends to a
           * cheaper tier escalate once to the dearest tier when the answer fails the schema
           * (middleware/cascade). On by default: it spends more only on answers the caller could not use.
           */
          cascade: z
            .object({ structured: z.boolean().default(true) })
            .strict()
            .prefault({}),
        }),
      )
      .default({}),
    /** The prompt registry: protected labels, label cache (docs/llmops.md). */
    prompts: promptsConfigSchema.prefault({}),
    /** Shadow mode: candidates run beside sampled primary calls, compared, never served (docs/llmops.md). */
    shadows: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'shadow names are lower-case letters, digits, - and _'), shadowConfigSchema).default({}),
    /** Drift monitors over the ledger: windows and thresholds (docs/llmops.md). */
    monitors: monitorsConfigSchema.prefault({}),
    /** Strangler routes: a legacy handler and an AI path, a sticky share to the AI side, automatic rollback (docs/llmops.md). */
    strangler: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'route names are lower-case letters, digits, - and _'), stranglerConfigSchema).default({}),
    pipelines: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'pipeline names are lower-case letters, digits, - and _'), pipelineSchema).default({}),
    // Model names and the one setting share a level (`pricing.gpt-4o`, `pricing.requireForBudgets`).
    pricing: z
      .object({ requireForBudgets: z.boolean().default(false).describe('refuse to start while a deployment has no price (budgets would count it $0)') })
      .catchall(priceSchema)
      .prefault({}),
    providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'provider names are lower-case letters, digits, - and _'), providerSchema).default({}),
    models: z.record(z.string().min(1), modelSchema).default({}),
  })
  .strict();

export type BreakwaterConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
