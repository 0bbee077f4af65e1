import pino, { type Logger } from 'pino';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LoadedConfig } from './config/load-config.js';
import type { ParsedConfig } from './config/schema.js';
import { resolveSecret } from './config/secrets.js';
import { createProvider, type ProviderServices } from './adapters/providers/create-provider.js';
import { openAdapters } from './adapters/open-adapters.js';
import { buildGateway } from './compose/gateway.js';
import { startJobEngine } from './compose/jobs.js';
import { openRetrieval, retrievalEnabled } from './compose/retrieval.js';
import { openSharedSemanticIndex, type SqlDatabase } from './compose/semantic-cache.js';
import { WatchedSources } from './compose/retrieval-sources.js';
import { CollectionService } from './core/retrieval/collection-service.js';
import { CitedAnswers } from './core/retrieval/cited-answer.js';
import { buildWorkflows } from './compose/workflows.js';
import type { WorkflowDefinition } from './core/workflows/definition.js';
import type { WorkflowService } from './core/workflows/workflow-service.js';
import type { Gateway } from './core/gateway/gateway.js';
import type { JobService } from './core/jobs/job-service.js';
import type { Worker } from './core/jobs/worker.js';
import { BreakwaterError } from './core/errors/breakwater-error.js';
import { KeyService } from './core/keys/key-service.js';
import { PromptRegistry } from './core/prompts/prompt-registry.js';
import type { ShadowRunner } from './core/shadow/shadow-runner.js';
import { buildShadows } from './compose/shadows.js';
import { buildStranglerRoutes } from './compose/strangler.js';
import type { StranglerRoute } from './core/strangler/strangler-route.js';
import { LlmopsMetrics } from './telemetry/llmops-metrics.js';
import { DriftMonitors } from './core/drift/drift-monitors.js';
import { DriftRecorder } from './core/drift/drift-recorder.js';
import { HashedNgramEmbedder } from './adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import type { LedgerWriter } from './core/middleware/ledger/ledger-writer.js';
import type { RouteRecorder } from './core/middleware/auto-route/route-recorder.js';
import type { Pipeline } from './core/pipelines/pipeline.js';
import type { SemanticCache } from './core/semantic-cache/semantic-cache.js';
import type { Provider } from './core/ports/provider.js';
import type { Counters } from './core/ports/counters.js';
import type { JobQueue } from './core/ports/queue.js';
import type { Store } from './core/ports/store.js';
import { PrometheusMetrics } from './telemetry/prometheus-metrics.js';
import { startTracing, type TracingHandle } from './telemetry/tracing.js';

/** What this process does: serve the API, run jobs, or both (the embedded default). */
export type Role = 'api' | 'worker' | 'all';

export interface App {
  readonly config: ParsedConfig;
  readonly role: Role;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly jobs: JobService;
  /** Workflow runs and approvals (the API side; advance jobs run on workers). */
  readonly workflows: WorkflowService;
  readonly pipelines: ReadonlyMap<string, Pipeline>;
  /** Collections, search and cited answers; undefined when retrieval is off (docs/retrieval.md). */
  readonly retrieval: { collections: CollectionService; answers: CitedAnswers; sources: WatchedSources | undefined } | undefined;
  /** The worker, when this process runs jobs (role worker or all). */
  readonly worker: Worker | undefined;
  readonly keys: KeyService;
  readonly gateway: Gateway;
  /** The provider adapters by config name. */
  readonly providers: ReadonlyMap<string, Provider>;
  /** The semantic cache, when an alias uses it (for its invalidation API). */
  readonly semanticCache: SemanticCache | undefined;
  readonly metrics: PrometheusMetrics;
  readonly ledgerWriter: LedgerWriter;
  /** Routed calls of `auto` aliases, buffered for the store (the feedback route flushes it first). */
  readonly routeRecorder: RouteRecorder;
  readonly logger: Logger;
  /** The admin token, when the admin API is enabled. */
  readonly adminToken: string | undefined;
  /** The token `GET /metrics` asks for, when one is configured. */
  readonly metricsToken: string | undefined;
  /** Rate-limit and budget counters (the HTTP layer peeks at RPM before reading a body). */
  readonly counters: Counters;
  /** The prompt registry: versions, labels, rollbacks, and what a request's `prompt` resolves to. */
  readonly prompts: PromptRegistry;
  /** True when spans are exported (OTLP or a test's processor): the HTTP layer then opens server spans. */
  readonly tracingEnabled: boolean;
  /** Strangler routes by name (legacy handler vs AI path, with automatic rollback). */
  readonly strangler: ReadonlyMap<string, StranglerRoute>;
  readonly llmopsMetrics: LlmopsMetrics;
  /** Drift monitors over the ledger (GET /v1/monitors, breakwater_monitor_drift). */
  readonly monitors: DriftMonitors;
  /** Declared shadows by name (shadow mode), for their reports. */
  readonly shadows: ReadonlyMap<string, ShadowRunner>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  /** Extra span processor (tests read spans from an in-memory exporter). */
  spanProcessor?: SpanProcessor;
  /** Default 'all'. A worker starts claiming jobs as soon as the app is created. */
  role?: Role;
  /** What providers may use from the host, e.g. downloading a local model on first use (`serve` passes it). */
  services?: ProviderServices;
  /** Workflow definitions given in code (tests, the demo), besides workflows.files. */
  workflows?: readonly WorkflowDefinition[];
  /** The database of a pgvector semantic cache index given in code (tests on PGlite), instead of cache.semantic.index.url. */
  semanticCacheDatabase?: SqlDatabase;
}

/**
 * The process logger: JSON lines, secrets in known places redacted. `buffered` (the server)
 * writes to stdout asynchronously, 4 KB or more at a time, and whatever has gathered every
 * 250 ms: one write(2) per line cost as much CPU per request as the gateway's own work under
 * load, and one per few lines still ~20 µs per request (bench/gateway/README.md). A line thus
 * reaches stdout within 250 ms. Buffered lines are flushed at exit; only a SIGKILL or a crash of
 * the runtime itself can lose the last few.
 */
export function appLogger(config: ParsedConfig, options: { buffered?: boolean } = {}): Logger {
  const settings = {
    level: config.log.level,
    base: { service: 'breakwater' },
    redact: { paths: ['*.authorization', '*.apiKey', '*.secret', '*.headers.authorization', '*.headers["x-api-key"]'], censor: '[redacted]' },
  };
  return options.buffered ? pino(settings, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 })) : pino(settings);
}

/** The composition root: reads the validated config once and picks every adapter. */
export async function createApp(loaded: LoadedConfig, options: CreateAppOptions = {}): Promise<App> {
  const { config, env } = loaded;
  const logger = options.logger ?? appLogger(config);
  const providers = new Map<string, Provider>();
  for (const [name, providerConfig] of Object.entries(config.providers)) providers.set(name, createProvider(name, providerConfig, env, options.services));
  const adminToken = config.admin.token ? strongToken(resolveSecret(config.admin.token, 'admin.token', env), 'admin.token') : undefined;
  const metricsToken = config.metrics.token ? strongToken(resolveSecret(config.metrics.token, 'metrics.token', env), 'metrics.token') : undefined;
  const otlpHeaders = Object.fromEntries(
    Object.entries(config.telemetry.otlp?.headers ?? {}).map(([name, ref]) => [name, resolveSecret(ref, `telemetry.otlp.headers.${name}`, env)]),
  );

  const role = options.role ?? 'all';
  const metrics = new PrometheusMetrics();
  const adapters = await openAdapters(config, env, logger, { onCacheFailure: (operation) => metrics.countCacheError(operation) });
  const { store, queue, counters, cache } = adapters;
  const tracing: TracingHandle = startTracing({
    serviceName: config.telemetry.serviceName,
    ...(config.telemetry.otlp ? { otlpEndpoint: config.telemetry.otlp.endpoint, otlpHeaders } : {}),
    ...(options.spanProcessor ? { processor: options.spanProcessor } : {}),
  });
  const prompts = new PromptRegistry({
    store: store.promptRegistry,
    protectedLabels: config.prompts.protectedLabels,
    labelCacheMs: config.prompts.labelCacheMs,
    sharedStore: store.capabilities.shared,
  });
  prompts.start();
  const llmopsMetrics = new LlmopsMetrics(metrics.registry);
  const driftEmbedder = new HashedNgramEmbedder({ dimension: 128 });
  const driftRecorder = config.monitors.recordQuality
    ? new DriftRecorder({
        store: store.drift,
        embed: (texts) => driftEmbedder.embed(texts),
        embedderId: driftEmbedder.id,
        maxEmbedPerSecond: config.monitors.inputEmbedPerSecond,
        maxInputChars: config.monitors.inputMaxChars,
        flushMs: 60_000,
        onError: (error) => logger.warn({ err: error }, 'drift recorder: an observation was not recorded'),
      })
    : undefined;
  driftRecorder?.start();
  const shadows = buildShadows({ config, prompts, counters, store: store.shadows, logger, onOutcome: (shadow, outcome) => llmopsMetrics.countShadowSample(shadow, outcome) });
  const semanticIndex = await openSharedSemanticIndex(config, env, options.semanticCacheDatabase);
  const { gateway, ledgerWriter, semanticCache, routeRecorder } = buildGateway({
    config,
    providers,
    store,
    counters,
    cache,
    semanticPayloads: adapters.semanticPayloads,
    ...(semanticIndex ? { semanticIndex } : {}),
    metrics,
    tracingEnabled: tracing.enabled,
    logger,
    outerMiddleware: [...(shadows.middleware ? [shadows.middleware] : []), ...(driftRecorder ? [driftRecorder.middleware] : [])],
  });
  shadows.bind(gateway);
  const strangler = buildStranglerRoutes({ config, gateway, prompts, store: store.strangler, metrics: llmopsMetrics, logger });
  const monitors = new DriftMonitors({
    ledger: store.ledger,
    windowMs: config.monitors.windowMinutes * 60_000,
    referenceMs: config.monitors.referenceHours * 3_600_000,
    thresholds: config.monitors,
    ...(driftRecorder ? { observations: { store: store.drift, embedder: driftEmbedder.id, thresholds: config.monitors } } : {}),
    flush: async () => {
      await ledgerWriter.flush();
      await driftRecorder?.flush();
    },
  });
  // A scrape reads two windows of the ledger: at most once a minute, whatever the scrape interval.
  let drift: { at: number; report: ReturnType<DriftMonitors['report']> } | undefined;
  const driftReport = () => {
    if (!drift || Date.now() - drift.at > 60_000) drift = { at: Date.now(), report: monitors.report() };
    return drift.report;
  };
  llmopsMetrics.driftSource = () => driftReport().then((report) => report.series);
  llmopsMetrics.qualitySource = () => driftReport().then((report) => report.quality);
  const onError = (error: unknown) => logger.error({ err: error }, 'retention sweep failed');
  // The depth is read at each scrape, for at most a second: a broker that does not answer
  // leaves the gauge out of that scrape instead of failing /metrics as a whole.
  metrics.depthSource = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 1_000)));
    const depth = await Promise.race([queue.depth().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    return depth ? { ...depth } : {};
  };
  const workflows = await buildWorkflows({ config, env, adapters, gateway, logger, role, ...(options.workflows ? { definitions: options.workflows } : {}) });
  const retrievalParts = retrievalEnabled(config) ? await openRetrieval(config, env, gateway) : undefined;
  const engine = await startJobEngine({
    config,
    env,
    adapters,
    gateway,
    logger,
    role,
    handlers: { workflow: workflows.handler, ...(retrievalParts ? { ingest: retrievalParts.ingest } : {}) },
    prompts,
  });
  const collections = retrievalParts
    ? new CollectionService({ store: retrievalParts.store, embedder: retrievalParts.embedder, gateway, jobs: engine.jobs, builtinDimension: config.retrieval.builtinDimension })
    : undefined;
  workflows.start(engine.wakeRelay, { pipelines: engine.pipelines, prompts });
  // Watched sources run on worker nodes, each round on one of them (a claim in the collection store).
  const sources =
    collections && retrievalParts && role !== 'api' && Object.keys(config.retrieval.sources).length > 0
      ? new WatchedSources({ sources: config.retrieval.sources, collections, store: retrievalParts.store, keys: store.keys, env, logger })
      : undefined;
  sources?.start();
  const { jobs, pipelines, worker } = engine;

  const retention = setInterval(() => {
    store.ledger.deleteUsageBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.feedback.deleteBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.shadows.deleteBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.strangler.deleteBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.drift.deleteBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
    store.jobs.deleteFinishedBefore(Date.now() - config.jobs.retentionDays * 86_400_000).catch(onError);
    store.workflows.deleteFinishedBefore(Date.now() - config.workflows.retentionDays * 86_400_000).catch(onError);
  }, 3_600_000).unref();

  return {
    config,
    role,
    store,
    queue,
    jobs,
    workflows: workflows.service,
    pipelines,
    retrieval: collections ? { collections, answers: new CitedAnswers(collections, gateway), sources } : undefined,
    worker,
    keys: new KeyService(store.keys),
    gateway,
    providers,
    semanticCache,
    metrics,
    ledgerWriter,
    routeRecorder,
    logger,
    adminToken,
    metricsToken,
    counters,
    prompts,
    shadows: shadows.runners,
    tracingEnabled: tracing.enabled,
    strangler: strangler.routes,
    llmopsMetrics,
    monitors,
    async close() {
      clearInterval(retention);
      prompts.stop();
      await shadows.close();
      await strangler.close();
      await sources?.close();
      await engine.close();
      await retrievalParts?.close();
      await workflows.close();
      await ledgerWriter.flush();
      await driftRecorder?.close();
      await routeRecorder.flush();
      await semanticCache?.close();
      await Promise.all([...providers.values()].map((provider) => provider.close?.()));
      await tracing.shutdown();
      await adapters.close();
    },
  };
}

/** Shortest token accepted: 32 characters (e.g. `openssl rand -hex 16`), so it cannot be guessed online. */
export const minTokenLength = 32;

/** A token a caller could guess online is refused at start, before anything listens. */
function strongToken(token: string, setting: string): string {
  if (token.length < minTokenLength) {
    throw new BreakwaterError(
      'CONFIG_INVALID',
      `${setting} is ${token.length} characters long; use at least ${minTokenLength} random characters (for example the output of \`openssl rand -hex 32\`).`,
    );
  }
  return token;
}
