import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Adapters } from '../adapters/open-adapters.js';
import { IsolatedDocumentReader } from '../adapters/loaders/isolated-document-reader.js';
import { PostgresSink } from '../adapters/sinks/postgres/postgres-sink.js';
import { TargetPolicy } from '../adapters/webhooks/ssrf-guard.js';
import { WebhookSender } from '../adapters/webhooks/webhook-sender.js';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { Gateway } from '../core/gateway/gateway.js';
import { ChatJobHandler } from '../core/jobs/chat-job.js';
import type { JobHandler } from '../core/jobs/job-handler.js';
import { decodeJobInput, type JobInput } from '../core/jobs/job-input.js';
import { JsonParseThread } from '../adapters/json/json-parse-thread.js';
import { JobService } from '../core/jobs/job-service.js';
import { OutboxRelay } from '../core/jobs/outbox-relay.js';
import { PipelineJobHandler } from '../core/jobs/pipeline-job.js';
import type { PromptRegistry } from '../core/prompts/prompt-registry.js';
import { WebhookDispatcher } from '../core/jobs/webhook-dispatcher.js';
import { Worker } from '../core/jobs/worker.js';
import { type Pipeline, type PipelineSink, registryReference } from '../core/pipelines/pipeline.js';
import type { WebhookTransport } from '../core/ports/webhook-transport.js';
import { backoffDelay } from '../core/routing/backoff.js';

export interface JobParts {
  config: ParsedConfig;
  env: NodeJS.ProcessEnv;
  adapters: Adapters;
  gateway: Gateway;
  logger: Logger;
  /** Runs jobs (a worker) unless 'api'. */
  role: 'api' | 'worker' | 'all';
  /** Handlers of job kinds built elsewhere (workflow). */
  handlers?: { workflow?: JobHandler; ingest?: JobHandler };
  /** The prompt registry, for pipelines with `prompt: name@label`. */
  prompts?: PromptRegistry;
}

export interface JobEngine {
  jobs: JobService;
  pipelines: ReadonlyMap<string, Pipeline>;
  worker: Worker | undefined;
  /** Publishes newly written jobs at once when the queue is a broker (a no-op otherwise). */
  wakeRelay(): void;
  close(): Promise<void>;
}

/**
 * The job engine: pipelines (prompts registered by version), the API-side JobService, the
 * outbox relay when the queue is a broker, and — on worker nodes — the worker and the
 * webhook dispatcher.
 */
export async function startJobEngine(parts: JobParts): Promise<JobEngine> {
  const { config, env, adapters, gateway, logger, role } = parts;
  const { store, queue, bus } = adapters;
  const webhookSecrets = config.webhooks.secrets.map((ref, index) => resolveSecret(ref, `webhooks.secrets[${index}]`, env));
  const webhooks: WebhookTransport | undefined =
    webhookSecrets.length > 0
      ? new WebhookSender({
          policy: new TargetPolicy({ allow: config.webhooks.allow }),
          secrets: webhookSecrets,
          timeoutMs: config.webhooks.timeoutMs,
          // The tenant's last_error says what to fix; the addresses are for operators only.
          onFailure: (failure) => logger.warn(failure, 'webhook delivery attempt failed'),
        })
      : undefined;
  const pipelines = buildPipelines(config, env, logger);
  for (const pipeline of pipelines.values()) {
    // Registry prompts are versioned by the registry; only inline ones are registered here.
    if ('registry' in pipeline.prompt) continue;
    const hash = createHash('sha256').update(pipeline.prompt.system).update('\0').update(pipeline.prompt.template).digest('hex');
    const registered = await store.prompts.register(pipeline.name, pipeline.prompt.version, hash, `${pipeline.prompt.system}\n\n${pipeline.prompt.template}`, Date.now());
    if (registered === 'conflict') {
      throw new BreakwaterError(
        'CONFIG_INVALID',
        `pipelines.${pipeline.name}.prompt: version ${pipeline.prompt.version} was already used with different text; records must name the prompt that made them, so bump prompt.version when the text changes.`,
      );
    }
  }
  const onJobError = (error: unknown, context: string) => logger.error({ err: error }, context);
  // With a broker, jobs reach it through the store's outbox: every node relays (SKIP LOCKED
  // claims keep them apart), woken at once by its own submissions.
  const relay = adapters.relayed ? new OutboxRelay({ outbox: store.dispatches, queue, batch: 500, leaseMs: 30_000, pollMs: 500, onError: onJobError }) : undefined;
  relay?.start();
  const jobs = new JobService({
    store: store.jobs,
    bus,
    gateway,
    pipelines,
    webhooks,
    ...(relay ? { onCreated: () => relay.wake() } : {}),
    limits: {
      maxQueued: config.jobs.maxQueued,
      maxQueuedPerTenant: config.jobs.maxQueuedPerTenant,
      defaultMaxAttempts: config.jobs.maxAttempts,
      maxDocumentBytes: config.jobs.documents.maxBytes,
      maxDocumentChars: config.jobs.documents.maxChars,
    },
  });

  let worker: Worker | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  // In child processes: in the `all` role this process also answers HTTP. None starts before the first document.
  const documents = new IsolatedDocumentReader(config.jobs.documents);
  if (role !== 'api') {
    worker = new Worker({
      store: store.jobs,
      queue,
      bus,
      keys: store.keys,
      handlers: {
        chat: new ChatJobHandler(gateway),
        pipeline: new PipelineJobHandler({ gateway, pipelines, documents, limits: config.jobs.documents, ...(parts.prompts ? { prompts: parts.prompts } : {}) }),
        workflow: parts.handlers?.workflow ?? unavailableHandler('workflow'),
        ingest: parts.handlers?.ingest ?? unavailableHandler('ingest'),
      },
      concurrency: config.jobs.concurrency,
      leaseMs: config.jobs.leaseMs,
      pollMs: config.jobs.pollMs,
      recoverMs: config.jobs.recoverMs,
      retryBaseMs: config.jobs.retryBaseMs,
      retryMaxMs: config.jobs.retryMaxMs,
      onError: onJobError,
      decodeLargeInput: largeInputDecoder(),
    });
    worker.start();
    if (webhooks) {
      dispatcher = new WebhookDispatcher({
        deliveries: store.deliveries,
        transport: webhooks,
        retryDelayMs: (attempt) => backoffDelay(attempt - 1, config.webhooks.retryBaseMs, 30 * 60_000),
        maxAttempts: config.webhooks.maxAttempts,
        pollMs: config.webhooks.pollMs,
        concurrency: 16,
        // An attempt takes at most webhooks.timeoutMs; the rest is room to record it.
        leaseMs: Math.max(30_000, 3 * config.webhooks.timeoutMs),
        onError: onJobError,
      });
      dispatcher.start();
    }
  }

  return {
    jobs,
    pipelines,
    worker,
    wakeRelay: () => relay?.wake(),
    async close() {
      await worker?.stop(config.jobs.shutdownGraceMs);
      await dispatcher?.stop();
      await webhooks?.close?.();
      await Promise.all([...pipelines.values()].flatMap((pipeline) => pipeline.sinks.map((sink) => (sink.type === 'external' ? sink.sink.close?.() : undefined))));
      await relay?.stop();
      await documents.close();
    },
  };
}

/** A job kind this process was built without: its jobs fail with a clear error instead of a crash. */
/**
 * Large job inputs are parsed on a thread of their own (the one request bodies use is the
 * server's; this one starts on the first large input and idles without holding the process).
 * An input the thread refuses (its shape limits are the API's) is decoded on the loop.
 */
function largeInputDecoder(): (chunks: readonly Uint8Array[]) => Promise<JobInput> {
  const thread = new JsonParseThread();
  return async (chunks) => {
    const outcome = await thread.parse([...chunks]);
    return outcome.ok ? (outcome.value as JobInput) : decodeJobInput(chunks);
  };
}

function unavailableHandler(kind: string): JobHandler {
  return {
    run: async () => {
      throw new BreakwaterError('CONFIG_INVALID', `This worker was started without a handler for ${kind} jobs.`);
    },
  };
}

function buildPipelines(config: ParsedConfig, env: NodeJS.ProcessEnv, logger: Logger): Map<string, Pipeline> {
  const pipelines = new Map<string, Pipeline>();
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const sinks: PipelineSink[] = pipeline.sinks.map((sink, index) => {
      if (sink.type === 'store') return { type: 'store' };
      if (sink.type === 'webhook') return { type: 'webhook', url: sink.url };
      return {
        type: 'external',
        sink: new PostgresSink({
          connectionString: resolveSecret(sink.url, `pipelines.${name}.sinks[${index}].url`, env),
          table: sink.table,
          createTable: sink.createTable ?? true,
          ...(sink.columns ? { columns: sink.columns } : {}),
          // The job's error (tenant-readable) names neither server nor user; the log does.
          onError: (error, context) => logger.warn({ err: error, pipeline: name, ...context }, 'PostgreSQL sink write failed'),
        }),
      };
    });
    pipelines.set(name, {
      name,
      description: pipeline.description,
      accepts: pipeline.accepts,
      model: pipeline.model,
      prompt: typeof pipeline.prompt === 'string' ? registryReference(pipeline.prompt) : pipeline.prompt,
      schema: pipeline.schema!,
      extraction: {
        strategy: pipeline.extraction.strategy,
        maxAttempts: pipeline.extraction.maxAttempts,
        temperature: pipeline.extraction.temperature,
        maxOutputTokens: pipeline.extraction.maxOutputTokens,
      },
      sinks,
      webhookUrl: pipeline.webhook?.url ?? null,
    });
  }
  return pipelines;
}
