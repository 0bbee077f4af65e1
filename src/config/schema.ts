import { z } from 'zod';

/**
 * The one strict schema of Breakwater's configuration (breakwater.yaml + environment).
 * Defaults live here and nowhere else. Secrets are never literal strings: they are
 * `{ env: NAME }` or `{ file: PATH }` references resolved once at start-up.
 */

export const secretRefSchema = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
], { error: 'must be a secret reference: { env: VARIABLE_NAME } or { file: /path/to/secret } (secrets are never written in the config file)' });

export type SecretRef = z.infer<typeof secretRefSchema>;

const priceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per 1M input tokens'),
    output: z.number().nonnegative().describe('USD per 1M output tokens'),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

const headersSchema = z.record(z.string(), z.string()).default({});

const providerSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('openai'),
      baseUrl: z.url().default('https://api.openai.com/v1'),
      apiKey: secretRefSchema.optional(),
      headers: headersSchema,
      connections: z.number().int().positive().default(128),
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

const modelSchema = z
  .object({
    strategy: z.enum(['fallback', 'loadbalance']).default('fallback'),
    deployments: z.array(deploymentSchema).min(1),
    description: z.string().optional(),
  })
  .strict();
export type ModelConfig = z.infer<typeof modelSchema>;

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
        /** Most requests one process serves at once; more are answered 503 at once. */
        maxConcurrentRequests: z.number().int().positive().default(1024),
      })
      .strict()
      .prefault({}),
    store: z
      .discriminatedUnion('driver', [z.object({ driver: z.literal('sqlite'), path: z.string().default('./data/breakwater.db') }).strict()])
      .prefault({ driver: 'sqlite' }),
    counters: z.discriminatedUnion('driver', [z.object({ driver: z.literal('memory') }).strict()]).prefault({ driver: 'memory' }),
    cache: z
      .object({
        driver: z.literal('memory').default('memory'),
        exact: z
          .object({
            enabled: z.boolean().default(true),
            ttlSeconds: z.number().int().positive().default(3600),
            maxEntries: z.number().int().positive().default(10_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    admin: z.object({ token: secretRefSchema.optional() }).strict().prefault({}),
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
        otlp: z.object({ endpoint: z.url(), headers: z.record(z.string(), secretRefSchema).default({}) }).strict().optional(),
      })
      .strict()
      .prefault({}),
    ledger: z
      .object({
        retentionDays: z.number().int().positive().default(90),
        flushIntervalMs: z.number().int().positive().default(200),
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
    pricing: z.record(z.string(), priceSchema).default({}),
    providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'provider names are lower-case letters, digits, - and _'), providerSchema).default({}),
    models: z.record(z.string().min(1), modelSchema).default({}),
  })
  .strict();

export type BreakwaterConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
