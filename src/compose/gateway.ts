import type { Logger } from 'pino';
import type { ParsedConfig } from '../config/schema.js';
import { Gateway } from '../core/gateway/gateway.js';
import type { CallContext, ModelMiddleware } from '../core/gateway/call-context.js';
import { autoRoute } from '../core/middleware/auto-route/index.js';
import { RouteRecorder } from '../core/middleware/auto-route/route-recorder.js';
import { loadRouterModel } from '../core/routing/auto/load-router-model.js';
import { budget, BudgetCounters } from '../core/middleware/budget/index.js';
import { structuredCascade, type CascadeTier } from '../core/middleware/cascade/index.js';
import { checkPrices } from '../core/middleware/budget/check-prices.js';
import { pii } from '../core/middleware/pii/index.js';
import { semanticCache } from '../core/middleware/semantic-cache/index.js';
import type { SemanticCache } from '../core/semantic-cache/semantic-cache.js';
import { buildSemanticCache, type SharedSemanticIndex, semanticCacheWanted, semanticThresholds } from './semantic-cache.js';
import type { PiiPolicy } from '../core/pii/scrubber.js';
import { piiModes } from '../core/ports/store.js';
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
  semanticPayloads: ResponseCache;
  /** The shared pgvector index and its answers (cache.semantic.index.driver: pgvector), opened beforehand. */
  semanticIndex?: SharedSemanticIndex;
  metrics: PrometheusMetrics;
  tracingEnabled: boolean;
  logger: Logger;
  /** Middleware outside all others (shadow mode: it only acts once the call is settled). */
  outerMiddleware?: readonly ModelMiddleware[];
}

/** The gateway: alias routes over the providers, and the model middleware in its order. */
export function buildGateway(parts: GatewayParts): { gateway: Gateway; ledgerWriter: LedgerWriter; semanticCache: SemanticCache | undefined; routeRecorder: RouteRecorder } {
  const { config, providers, store, counters, cache, metrics, logger } = parts;
  const routes = buildRoutes(config, providers, metrics);
  checkPrices(routes, config.pricing.requireForBudgets, (deployments, message) => logger.warn({ deployments }, message));
  const tokens = new TokenCounter();
  tokens.count('warm up'); // loads the tokenizer's rank table (~1 s) before the first request, not during it
  const onError = (error: unknown) => logger.error({ err: error }, 'deferred gateway step failed');
  const ledgerWriter = new LedgerWriter({
    ledger: store.ledger,
    flushIntervalMs: config.ledger.flushIntervalMs,
    maxBufferedRows: config.ledger.maxBufferedRows,
    onError: (error) => logger.error({ err: error }, 'writing ledger rows failed; they are kept and retried'),
    onDrop: (rows, firstOfBurst) => {
      metrics.countLedgerDrops(rows);
      if (firstOfBurst)
        logger.error(
          { maxBufferedRows: config.ledger.maxBufferedRows },
          'ledger buffer full while the store refuses writes: dropping the oldest rows (counted in breakwater_ledger_rows_dropped_total) until a write succeeds',
        );
    },
  });

  const budgetCounters = new BudgetCounters({ counters, ledger: store.ledger });
  const semantic = semanticCacheWanted(config) ? buildSemanticCache(config, providers, parts.semanticPayloads, parts.semanticIndex) : undefined;
  const autoRoutes = new Map(Object.entries(config.autoRoutes));
  const routerModels = new Map([...autoRoutes].flatMap(([alias, router]) => (router.model ? [[alias, loadRouterModel(router.model, `autoRoutes.${alias}.model`)] as const] : [])));
  // Routed calls' scorer vectors, kept for route feedback (POST /v1/feedback → router train).
  const routeRecorder = new RouteRecorder({
    store: store.feedback,
    flushIntervalMs: config.ledger.flushIntervalMs,
    maxBuffered: config.ledger.maxBufferedRows,
    onError: (error) => logger.warn({ err: error }, 'recording routed calls for feedback failed; kept and retried, the oldest dropped past the buffer'),
  });

  const escalations = cascadeEscalations(config, routes);
  const cascade = escalations.size > 0 ? structuredCascade({ escalations, countTokens: (text) => tokens.count(text) }) : undefined;

  // Outermost first. The router picks the tier before anything prices or caches the call; the
  // caches sit outside PII scrubbing, so they key on and store what the client sent and saw
  // (inside, a cache would key on placeholders and serve one user's restored answer to another).
  const middleware = [
    ...(parts.outerMiddleware ?? []),
    telemetry(metrics, parts.tracingEnabled),
    ledger(ledgerWriter),
    rateLimit(counters, { onReject: (reason) => metrics.countRejection(reason) }),
    ...(autoRoutes.size > 0
      ? [
          autoRoute({
            configs: autoRoutes,
            routes,
            headroom: (context) => budgetCounters.headroom(context.key),
            hintsOf: (context) => context.routeHints,
            onDecision: (alias, decision) => metrics.countRouteDecision(alias, decision.tier),
            models: routerModels,
            onRouted: (context, decision, vector) =>
              routeRecorder.add({
                requestId: context.requestId,
                tenant: context.key.tenant,
                keyId: context.key.id,
                alias: context.requestedAlias,
                tier: decision.tier,
                probability: decision.probability ?? null,
                vector,
                ts: Date.now(),
              }),
          }),
        ]
      : []),
    ...(config.cache.exact.enabled ? [exactCache({ cache, ttlMs: config.cache.exact.ttlSeconds * 1000, onHit: (alias) => metrics.countCacheHit(alias) })] : []),
    ...(semantic
      ? [
          semanticCache({
            cache: semantic,
            thresholdFor: semanticThresholds(config),
            ttlMs: config.cache.semantic.ttlSeconds * 1000,
            onHit: (alias) => metrics.countCacheHit(alias, 'semantic'),
            onError: (error) => logger.warn({ err: error }, 'semantic cache lookup failed; answered as a miss'),
          }),
        ]
      : []),
    // The cascade plans after the caches (a hit needs no tier) and before PII (both tiers' policies
    // apply) and the budget (it reserves for both attempts); its attempts run inside the budget.
    ...(cascade ? [cascade.plan] : []),
    pii({ policyFor: piiPolicies(config), onDetections: (counts) => metrics.countPiiDetections(counts) }),
    budget(
      {
        counters,
        ledger: store.ledger,
        defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens,
        minOutputTokens: 16,
        onUnpriced: (keyId, alias, deployments) =>
          logger.warn(
            { keyId, alias, deployments },
            'a key with a budget calls deployments without a price: they count $0 against its budget; give them a price (docs/configuration.md#pricing)',
          ),
        onReject: () => metrics.countRejection('budget'),
      },
      budgetCounters,
    ),
    ...(cascade ? [cascade.attempt] : []),
  ];
  const gateway = new Gateway({
    routes,
    router: new Router({ backoffBaseMs: config.routing.backoffBaseMs, backoffMaxMs: config.routing.backoffMaxMs, maxRetryAfterMs: config.routing.maxRetryAfterMs }),
    tokens,
    middleware,
    onDeferredError: onError,
    defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens,
  });

  return { gateway, ledgerWriter, semanticCache: semantic, routeRecorder };
}

function buildRoutes(config: ParsedConfig, providers: ReadonlyMap<string, Provider>, metrics: PrometheusMetrics): Map<string, AliasRoute> {
  const { requireForBudgets: _required, ...prices } = config.pricing;
  const pricing = new Pricing(prices);
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
        // A model in this process has no one to bill: free by nature, not unpriced.
        unpriced: config.providers[deployment.provider]?.type !== 'local' && !pricing.isKnown(deployment.model, deployment.price),
        breaker,
      };
    });
    const maxPrice: Price = {
      input: Math.max(...deployments.map((deployment) => deployment.price.input)),
      output: Math.max(...deployments.map((deployment) => deployment.price.output)),
    };
    routes.set(alias, { alias, strategy: model.strategy, deployments, maxPrice });
  }
  // An auto alias resolves like a model (keys' allowed models, GET /v1/models) and starts as its
  // dearest tier, so anything that prices the call before the router runs errs high.
  for (const [alias, router] of Object.entries(config.autoRoutes)) {
    const tiers = router.tiers.map((tier) => routes.get(tier.alias)!);
    const dearest = tiers.reduce((most, tier) => (tier.maxPrice.input + tier.maxPrice.output > most.maxPrice.input + most.maxPrice.output ? tier : most));
    routes.set(alias, { ...dearest, alias });
  }
  return routes;
}

/**
 * The tiers a structured call of each `auto` alias with `cascade.structured` may escalate to,
 * dearest first (by the sum of their dearest input and output prices; ties keep tier order).
 */
function cascadeEscalations(config: ParsedConfig, routes: ReadonlyMap<string, AliasRoute>): Map<string, CascadeTier[]> {
  const escalations = new Map<string, CascadeTier[]>();
  for (const [alias, router] of Object.entries(config.autoRoutes)) {
    if (!router.cascade.structured || router.tiers.length < 2) continue;
    const tiers = router.tiers.map((tier) => ({ tier: tier.name, route: routes.get(tier.alias)! }));
    const priceOf = (tier: CascadeTier) => tier.route.maxPrice.input + tier.route.maxPrice.output;
    escalations.set(
      alias,
      tiers.sort((a, b) => priceOf(b) - priceOf(a)),
    );
  }
  return escalations;
}

/**
 * The PII policy of a call: the alias's own (`models.<alias>.pii`, for the alias asked for, the
 * one an auto route chose and the one a structured cascade may escalate to) or the top-level `pii`, made stricter by the key's `pii_policy`.
 * Strictest wins: off < log < redact < mask < block.
 */
function piiPolicies(config: ParsedConfig): (context: CallContext) => PiiPolicy | undefined {
  return (context) => {
    const aliases = [context.requestedAlias, context.route.alias, ...(context.cascade ? [context.cascade.escalation] : [])];
    const policies = aliases.map((alias) => config.models[alias]?.pii ?? config.pii);
    const strictest = policies.reduce((most, policy) => (piiModes.indexOf(policy.mode) > piiModes.indexOf(most.mode) ? policy : most));
    const keyMode = context.key.piiPolicy;
    const mode = keyMode && piiModes.indexOf(keyMode) > piiModes.indexOf(strictest.mode) ? keyMode : strictest.mode;
    if (mode === 'off') return undefined;
    return { mode, nlp: strictest.nlp, ...(strictest.types ? { types: strictest.types } : {}), ...(strictest.phoneRegions ? { phoneRegions: strictest.phoneRegions } : {}) };
  };
}
