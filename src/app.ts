import pino, { type Logger } from 'pino';
import type { LoadedConfig } from './config/load-config.js';
import type { ParsedConfig } from './config/schema.js';
import { resolveSecret } from './config/secrets.js';
import { createProvider } from './adapters/providers/create-provider.js';
import { openAdapters } from './adapters/open-adapters.js';
import { Gateway } from './core/gateway/gateway.js';
import { KeyService } from './core/keys/key-service.js';
import { budget } from './core/middleware/budget/index.js';
import { exactCache } from './core/middleware/exact-cache/index.js';
import { ledger } from './core/middleware/ledger/index.js';
import { LedgerWriter } from './core/middleware/ledger/ledger-writer.js';
import { rateLimit } from './core/middleware/rate-limit/index.js';
import { telemetry } from './core/middleware/telemetry/index.js';
import type { Provider } from './core/ports/provider.js';
import type { Store } from './core/ports/store.js';
import { Pricing, type Price } from './core/pricing/pricing.js';
import { TokenCounter } from './core/pricing/token-counter.js';
import type { AliasRoute } from './core/routing/alias-route.js';
import { CircuitBreaker } from './core/routing/circuit-breaker.js';
import { Router } from './core/routing/router.js';
import { PrometheusMetrics } from './telemetry/prometheus-metrics.js';
import { startTracing, type TracingHandle } from './telemetry/tracing.js';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createHash } from 'node:crypto';
import { BreakwaterError } from './core/errors/breakwater-error.js';
import { createDefaultLoaders } from './adapters/loaders/document-loaders.js';
import { PostgresSink } from './adapters/sinks/postgres/postgres-sink.js';
import { TargetPolicy } from './adapters/webhooks/ssrf-guard.js';
import { WebhookSender } from './adapters/webhooks/webhook-sender.js';
import { backoffDelay } from './core/routing/backoff.js';
import { ChatJobHandler } from './core/jobs/chat-job.js';
import { JobService } from './core/jobs/job-service.js';
import { PipelineJobHandler } from './core/jobs/pipeline-job.js';
import { WebhookDispatcher } from './core/jobs/webhook-dispatcher.js';
import { Worker } from './core/jobs/worker.js';
import { OutboxRelay } from './core/jobs/outbox-relay.js';
import type { JobQueue } from './core/ports/queue.js';
import type { WebhookTransport } from './core/ports/webhook-transport.js';
import type { Pipeline, PipelineSink } from './core/pipelines/pipeline.js';

/** What this process does: serve the API, run jobs, or both (the embedded default). */
export type Role = 'api' | 'worker' | 'all';

export interface App {
  readonly config: ParsedConfig;
  readonly role: Role;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly jobs: JobService;
  readonly pipelines: ReadonlyMap<string, Pipeline>;
  /** The worker, when this process runs jobs (role worker or all). */
  readonly worker: Worker | undefined;
  readonly keys: KeyService;
  readonly gateway: Gateway;
  readonly metrics: PrometheusMetrics;
  readonly ledgerWriter: LedgerWriter;
  readonly logger: Logger;
  /** The admin token, when the admin API is enabled. */
  readonly adminToken: string | undefined;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  /** Extra span processor (tests read spans from an in-memory exporter). */
  spanProcessor?: SpanProcessor;
  /** Default 'all'. A worker starts claiming jobs as soon as the app is created. */
  role?: Role;
}

/** The composition root: reads the validated config once and picks every adapter. */
export async function createApp(loaded: LoadedConfig, options: CreateAppOptions = {}): Promise<App> {
  const { config, env } = loaded;
  const logger =
    options.logger ??
    pino({
      level: config.log.level,
      base: { service: 'breakwater' },
      redact: { paths: ['*.authorization', '*.apiKey', '*.secret', '*.headers.authorization', '*.headers["x-api-key"]'], censor: '[redacted]' },
    });
  const providers = new Map<string, Provider>();
  for (const [name, providerConfig] of Object.entries(config.providers)) providers.set(name, createProvider(name, providerConfig, env));
  const adminToken = config.admin.token ? resolveSecret(config.admin.token, 'admin.token', env) : undefined;
  const otlpHeaders = Object.fromEntries(
    Object.entries(config.telemetry.otlp?.headers ?? {}).map(([name, ref]) => [name, resolveSecret(ref, `telemetry.otlp.headers.${name}`, env)]),
  );

  const role = options.role ?? 'all';
  const adapters = await openAdapters(config, env, logger);
  const { store, queue, counters, cache, bus } = adapters;
  const metrics = new PrometheusMetrics();
  const tracing: TracingHandle = startTracing({
    serviceName: config.telemetry.serviceName,
    ...(config.telemetry.otlp ? { otlpEndpoint: config.telemetry.otlp.endpoint, otlpHeaders } : {}),
    ...(options.spanProcessor ? { processor: options.spanProcessor } : {}),
  });
  const routes = buildRoutes(config, providers, metrics);
  const tokens = new TokenCounter();
  tokens.count('warm up'); // loads the tokenizer's rank table (~1 s) before the first request, not during it
  const onError = (error: unknown) => logger.error({ err: error }, 'deferred gateway step failed');
  const ledgerWriter = new LedgerWriter(store.ledger, config.ledger.flushIntervalMs, onError);

  const middleware = [
    telemetry(metrics, tracing.enabled),
    ledger(ledgerWriter),
    rateLimit(counters, { onReject: (reason) => metrics.countRejection(reason) }),
    ...(config.cache.exact.enabled
      ? [exactCache({ cache, ttlMs: config.cache.exact.ttlSeconds * 1000, onHit: (alias) => metrics.countCacheHit(alias) })]
      : []),
    budget({
      counters,
      ledger: store.ledger,
      defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens,
      minOutputTokens: 16,
      onReject: () => metrics.countRejection('budget'),
    }),
  ];
  const gateway = new Gateway({
    routes,
    router: new Router({ backoffBaseMs: config.routing.backoffBaseMs, backoffMaxMs: config.routing.backoffMaxMs, maxRetryAfterMs: config.routing.maxRetryAfterMs }),
    tokens,
    middleware,
    onDeferredError: onError,
  });

  // The depth is read at each scrape, for at most a second: a broker that does not answer
  // leaves the gauge out of that scrape instead of failing /metrics as a whole.
  metrics.depthSource = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 1_000)));
    const depth = await Promise.race([queue.depth().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    return depth ? { ...depth } : {};
  };
  const webhookSecrets = config.webhooks.secrets.map((ref, index) => resolveSecret(ref, `webhooks.secrets[${index}]`, env));
  const webhooks: WebhookTransport | undefined =
    webhookSecrets.length > 0
      ? new WebhookSender({ policy: new TargetPolicy({ allow: config.webhooks.allow }), secrets: webhookSecrets, timeoutMs: config.webhooks.timeoutMs })
      : undefined;
  const pipelines = buildPipelines(config, env);
  for (const pipeline of pipelines.values()) {
    const hash = createHash('sha256').update(pipeline.prompt.system).update('\0').update(pipeline.prompt.template).digest('hex');
    const registered = await store.jobs.registerPrompt(pipeline.name, pipeline.prompt.version, hash, `${pipeline.prompt.system}\n\n${pipeline.prompt.template}`, Date.now());
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
  const relay = adapters.relayed
    ? new OutboxRelay({ store: store.jobs, queue, batch: 500, leaseMs: 30_000, pollMs: 500, onError: onJobError })
    : undefined;
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
    },
  });

  let worker: Worker | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  if (role !== 'api') {
    worker = new Worker({
      store: store.jobs,
      queue,
      bus,
      keys: store.keys,
      handlers: {
        chat: new ChatJobHandler(gateway),
        pipeline: new PipelineJobHandler({ gateway, pipelines, documents: createDefaultLoaders(), limits: config.jobs.documents }),
      },
      concurrency: config.jobs.concurrency,
      leaseMs: config.jobs.leaseMs,
      pollMs: config.jobs.pollMs,
      recoverMs: config.jobs.recoverMs,
      retryBaseMs: config.jobs.retryBaseMs,
      retryMaxMs: config.jobs.retryMaxMs,
      onError: onJobError,
    });
    worker.start();
    if (webhooks) {
      dispatcher = new WebhookDispatcher({
        store: store.jobs,
        transport: webhooks,
        retryDelayMs: (attempt) => backoffDelay(attempt - 1, config.webhooks.retryBaseMs, 30 * 60_000),
        maxAttempts: config.webhooks.maxAttempts,
        pollMs: config.webhooks.pollMs,
        concurrency: 16,
        onError: onJobError,
      });
      dispatcher.start();
    }
  }

  const retention = setInterval(() => {
    store.ledger.deleteUsageBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.jobs.deleteFinishedBefore(Date.now() - config.jobs.retentionDays * 86_400_000).catch(onError);
  }, 3_600_000).unref();

  return {
    config,
    role,
    store,
    queue,
    jobs,
    pipelines,
    worker,
    keys: new KeyService(store.keys),
    gateway,
    metrics,
    ledgerWriter,
    logger,
    adminToken,
    async close() {
      clearInterval(retention);
      await worker?.stop(config.jobs.shutdownGraceMs);
      await dispatcher?.stop();
      await webhooks?.close?.();
      await Promise.all([...pipelines.values()].flatMap((pipeline) => pipeline.sinks.map((sink) => (sink.type === 'external' ? sink.sink.close?.() : undefined))));
      await relay?.stop();
      await ledgerWriter.flush();
      await Promise.all([...providers.values()].map((provider) => provider.close?.()));
      await tracing.shutdown();
      await adapters.close();
    },
  };
}

function buildRoutes(config: ParsedConfig, providers: Map<string, Provider>, metrics: PrometheusMetrics): Map<string, AliasRoute> {
  const pricing = new Pricing(config.pricing);
  const breakers = new Map<string, CircuitBreaker>();
  const routes = new Map<string, AliasRoute>();
  for (const [alias, model] of Object.entries(config.models)) {
    const deployments = model.deployments.map((deployment) => {
      const id = `${deployment.provider}/${deployment.model}`;
      let breaker = breakers.get(id);
      if (!breaker) {
        breaker = new CircuitBreaker({ ...config.routing.breaker, onStateChange: (state) => metrics.setBreakerState(id, state) });
        breakers.set(id, breaker);
        metrics.setBreakerState(id, 'closed');
      }
      return {
        id,
        provider: providers.get(deployment.provider)!,
        model: deployment.model,
        weight: deployment.weight,
        timeoutMs: deployment.timeoutMs,
        retries: deployment.retries,
        price: pricing.priceOf(deployment.model, deployment.price),
        breaker,
      };
    });
    const maxPrice: Price = {
      input: Math.max(...deployments.map((deployment) => deployment.price.input)),
      output: Math.max(...deployments.map((deployment) => deployment.price.output)),
    };
    routes.set(alias, { alias, strategy: model.strategy, deployments, maxPrice });
  }
  return routes;
}

function buildPipelines(config: ParsedConfig, env: NodeJS.ProcessEnv): Map<string, Pipeline> {
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
        }),
      };
    });
    pipelines.set(name, {
      name,
      description: pipeline.description,
      accepts: pipeline.accepts,
      model: pipeline.model,
      prompt: pipeline.prompt,
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
