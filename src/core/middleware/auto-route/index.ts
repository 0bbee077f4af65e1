import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { AliasRoute } from '../../routing/alias-route.js';
import { decideRoute, type RouteDecision } from '../../routing/auto/decide.js';
import { extractFeatures, type RouteFeatures, type RouteHints } from '../../routing/auto/features.js';
import type { AutoRouteConfig } from '../../routing/auto/rules.js';
import type { RouterModel } from '../../routing/auto/router-model.js';
import { routeVector, type RouteVector } from '../../routing/auto/route-vector.js';

export interface AutoRouteOptions {
  /** The router config of each `auto` alias, by alias. */
  configs: ReadonlyMap<string, AutoRouteConfig>;
  routes: ReadonlyMap<string, AliasRoute>;
  /**
   * Share of the key's budget still free (0..1), or undefined when it has none. Only asked
   * for keys with a budget.
   */
  headroom?(context: CallContext): Promise<number | undefined>;
  /** Hints from outside the body (the HTTP headers); they win over `metadata` hints. */
  hintsOf?(context: CallContext): RouteHints | undefined;
  /** Called with every decision and the time it took, for metrics. */
  onDecision?(alias: string, decision: RouteDecision, decisionMs: number): void;
  /** The learned model of an alias whose config names a model file; others use the shipped model. */
  models?: ReadonlyMap<string, RouterModel>;
  /**
   * Called with every routed call's scorer vector (no prompt text), so route feedback can
   * become a training row later (see RouteRecorder).
   */
  onRouted?(context: CallContext, decision: RouteDecision, vector: RouteVector): void;
}

/** `metadata` keys a client without header control (an SDK) can route with; never sent upstream. */
export const routeHintMetadataKeys = { tier: 'breakwater_route_hint', latencyTargetMs: 'breakwater_latency_target_ms' } as const;

/**
 * The cost-aware router: for a call to an `auto` alias it reads the request's features,
 * picks a tier by the alias's rules and swaps in that tier's route before anything prices
 * the call (the budget reserves at the tier's price; the ledger records the tier's alias).
 * Place it after the rate limit and before the cache and the budget.
 *
 * A key with `allowed_models` reaches only the tiers whose alias is in its list (naming the
 * auto alias opens the router, not every model behind it): rules for other tiers are skipped,
 * and when the default tier is not allowed the first allowed tier in the listed order answers.
 * A key allowed none of the tiers gets MODEL_NOT_ALLOWED.
 */
export function autoRoute(options: AutoRouteOptions): ModelMiddleware {
  for (const [alias, config] of options.configs) {
    for (const tier of config.tiers) {
      if (!options.routes.has(tier.alias)) {
        throw new BreakwaterError(
          'CONFIG_INVALID',
          `The auto alias "${alias}" routes tier "${tier.name}" to "${tier.alias}", which is not a model; add it under models: or fix the tier's alias.`,
        );
      }
      if (options.configs.has(tier.alias)) {
        throw new BreakwaterError(
          'CONFIG_INVALID',
          `The auto alias "${alias}" routes tier "${tier.name}" to another auto alias ("${tier.alias}"); point it at a model with deployments.`,
        );
      }
    }
  }
  return async (context, next) => {
    const config = options.configs.get(context.requestedAlias);
    const input = context.input;
    if (!config || input.operation !== 'chat') return next();
    const started = performance.now();
    const hints = { ...takeMetadataHints(input.request), ...definedOnly(options.hintsOf?.(context)) };
    const budgetHeadroom = context.key.budget && options.headroom ? await options.headroom(context) : undefined;
    const features = extractFeatures(input.request, { ...hints, promptTokens: context.estimatedInputTokens, budgetHeadroom });
    const decision = decideFor(context, features, config, options.models?.get(context.requestedAlias));
    context.route = options.routes.get(decision.alias)!;
    context.routeDecision = { tier: decision.tier, reason: decision.reason };
    options.onDecision?.(context.requestedAlias, decision, performance.now() - started);
    options.onRouted?.(context, decision, routeVector(features));
    return next();
  };
}

function decideFor(context: CallContext, features: RouteFeatures, config: AutoRouteConfig, model: RouterModel | undefined): RouteDecision {
  const allowed = context.key.allowedModels;
  const decision = decideRoute(features, config, model);
  if (allowed === null || allowed.includes(decision.alias)) return decision;
  const tiers = config.tiers.filter((tier) => allowed.includes(tier.alias));
  if (tiers.length === 0) {
    throw new BreakwaterError(
      'MODEL_NOT_ALLOWED',
      `This key may not use any model behind "${context.requestedAlias}" (${config.tiers.map((tier) => tier.alias).join(', ')}); ask an admin to add one to the key's allowed models.`,
      { param: 'model' },
    );
  }
  const names = new Set(tiers.map((tier) => tier.name));
  const open: AutoRouteConfig = {
    ...config,
    tiers,
    rules: config.rules.filter((rule) => names.has(rule.tier)),
    default: names.has(config.default) ? config.default : tiers[0]!.name,
  };
  const allowedDecision = decideRoute(features, open, model);
  return { ...allowedDecision, reason: `${allowedDecision.reason}; tier "${decision.tier}" is not in this key's allowed models` };
}

/** Reads the hint keys from `metadata` and removes them: they are for Breakwater, not the vendor. */
function takeMetadataHints(request: { metadata?: Record<string, string> | null | undefined }): RouteHints {
  const metadata = request.metadata;
  if (!metadata) return {};
  const tier = metadata[routeHintMetadataKeys.tier];
  const latency = metadata[routeHintMetadataKeys.latencyTargetMs];
  if (tier === undefined && latency === undefined) return {};
  const rest = { ...metadata };
  delete rest[routeHintMetadataKeys.tier];
  delete rest[routeHintMetadataKeys.latencyTargetMs];
  request.metadata = Object.keys(rest).length > 0 ? rest : undefined;
  const latencyTargetMs = latency === undefined ? undefined : Number(latency);
  return { tier, latencyTargetMs: latencyTargetMs !== undefined && Number.isFinite(latencyTargetMs) ? latencyTargetMs : undefined };
}

function definedOnly(hints: RouteHints | undefined): RouteHints {
  const defined: RouteHints = {};
  if (hints?.tier !== undefined) defined.tier = hints.tier;
  if (hints?.latencyTargetMs !== undefined) defined.latencyTargetMs = hints.latencyTargetMs;
  return defined;
}
