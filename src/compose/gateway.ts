import type { Logger } from 'pino';
import type { ParsedConfig } from '../config/schema.js';
import { Gateway } from '../core/gateway/gateway.js';
import { budget } from '../core/middleware/budget/index.js';
import { exactCache } from '../core/middleware/exact-cache/index.js';
import { ledger } from '../core/middleware/ledger/index.js';
import { LedgerWriter } from '../core/middleware/ledger/ledger-writer.js';
import { rateLimit } from '../core/middleware/rate-limit/index.js';
import { telemetry } from '../core/middleware/telemetry/index.js';
import type { Counters } from '../core/ports/counters.js';
import type { Provider } from '../core/ports/provider.js';
import type { ResponseCache } from '../core/ports/response-cache.js';
import type { Store } from '../core/ports/store.js';
import { Pricing, type Price } from '../core/pricing/pricing.js';
import { TokenCounter } from '../core/pricing/token-counter.js';
import type { AliasRoute } from '../core/routing/alias-route.js';
import { CircuitBreaker } from '../core/routing/circuit-breaker.js';
import { Router } from '../core/routing/router.js';
import type { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';

export interface GatewayParts {
  config: ParsedConfig;
  providers: ReadonlyMap<string, Provider>;
  store: Store;
  counters: Counters;
  cache: ResponseCache;
  metrics: PrometheusMetrics;
  tracingEnabled: boolean;
  logger: Logger;
}

/** The gateway: alias routes over the providers, and the model middleware in its order. */
export function buildGateway(parts: GatewayParts): { gateway: Gateway; ledgerWriter: LedgerWriter } {
  const { config, providers, store, counters, cache, metrics, logger } = parts;
  const routes = buildRoutes(config, providers, metrics);
  const tokens = new TokenCounter();
  tokens.count('warm up'); // loads the tokenizer's rank table (~1 s) before the first request, not during it
  const onError = (error: unknown) => logger.error({ err: error }, 'deferred gateway step failed');
  const ledgerWriter = new LedgerWriter(store.ledger, config.ledger.flushIntervalMs, onError);

  const middleware = [
    telemetry(metrics, parts.tracingEnabled),
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

  return { gateway, ledgerWriter };
}

function buildRoutes(config: ParsedConfig, providers: ReadonlyMap<string, Provider>, metrics: PrometheusMetrics): Map<string, AliasRoute> {
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

