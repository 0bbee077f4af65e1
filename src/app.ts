import pino, { type Logger } from 'pino';
import type { LoadedConfig } from './config/load-config.js';
import type { ParsedConfig } from './config/schema.js';
import { resolveSecret } from './config/secrets.js';
import { MemoryResponseCache } from './adapters/cache/memory/memory-response-cache.js';
import { MemoryCounters } from './adapters/counters/memory/memory-counters.js';
import { createProvider } from './adapters/providers/create-provider.js';
import { SqliteStore } from './adapters/store/sqlite/sqlite-store.js';
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

export interface App {
  readonly config: ParsedConfig;
  readonly store: Store;
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

  const store = await SqliteStore.open(config.store.path);
  const counters = new MemoryCounters();
  const cache = new MemoryResponseCache(config.cache.exact.maxEntries);
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

  const retention = setInterval(() => {
    store.ledger.deleteUsageBefore(Date.now() - config.ledger.retentionDays * 86_400_000).catch(onError);
  }, 3_600_000).unref();

  return {
    config,
    store,
    keys: new KeyService(store.keys),
    gateway,
    metrics,
    ledgerWriter,
    logger,
    adminToken,
    async close() {
      clearInterval(retention);
      await ledgerWriter.flush();
      await Promise.all([...providers.values()].map((provider) => provider.close?.()));
      await tracing.shutdown();
      await store.close();
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
