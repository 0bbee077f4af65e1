import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { Counters } from '../../ports/counters.js';
import type { LedgerStore } from '../../ports/store.js';
import type { AliasRoute } from '../../routing/alias-route.js';
import { BudgetCounters } from './budget-counters.js';

export { BudgetCounters } from './budget-counters.js';

export interface BudgetOptions {
  counters: Counters;
  ledger: LedgerStore;
  defaultMaxOutputTokens: number;
  /** Below this many affordable output tokens a request is refused rather than truncated to nothing. */
  minOutputTokens: number;
  onReject(): void;
  /**
   * Once per key and alias in this process: a budgeted key calls an alias with deployments
   * Breakwater knows no price for, so their calls count $0 against the budget.
   */
  onUnpriced?(keyId: string, alias: string, deployments: string[]): void;
}

/**
 * How long a hold outlives the start of a call: one attempt's timeout plus a margin. A call
 * that runs longer (retries, fallbacks, a long stream) renews its hold every half lifetime, so
 * only the holds of a node that stopped (crashed) lapse, and then within this bound.
 */
const holdMarginMs = 30_000;

/**
 * Reserves a call's worst-case cost before the upstream call and trues it up afterwards.
 * The reservation covers the prompt (tokenizer count plus a 10% margin, since vendors
 * tokenize differently) and the output cap, at the dearest deployment of the alias. When
 * the client sets no cap the gateway sets the largest one the remaining budget affords, so
 * no answer — streamed or not — can spend past the budget. The true-up is the call's cost as
 * the gateway accounts it, which includes attempts that timed out or were abandoned.
 */
export function budget(options: BudgetOptions, counters = new BudgetCounters(options)): ModelMiddleware {
  const warned = new Set<string>();
  return async (context, next) => {
    const limit = context.key.budget;
    if (!limit) return next();
    const key = { ...context.key, budget: limit };
    if (options.onUnpriced) warnUnpriced(context, warned, options.onUnpriced);
    const counter = counters.counterOf(key);
    const price = context.route.maxPrice;
    const inputCost = ((Math.ceil(context.estimatedInputTokens * 1.1) + 8) * price.input) / 1_000_000;
    const perOutputToken = price.output / 1_000_000;
    const request = context.input.request;
    const clientCap = context.input.operation === 'chat' ? (context.input.request.max_completion_tokens ?? context.input.request.max_tokens ?? undefined) : 0;
    const holdMs = holdFor(context.route);
    let cap = clientCap ?? options.defaultMaxOutputTokens;
    let reservation: string;
    for (let round = 0; ; round++) {
      const result = await counters.reserve(key, counter, inputCost + cap * perOutputToken, holdMs);
      if (result.ok) {
        reservation = result.reservation;
        break;
      }
      const affordable = perOutputToken > 0 ? Math.floor((limit.usd - result.used - inputCost) / perOutputToken) : 0;
      if (clientCap !== undefined || affordable < options.minOutputTokens || round === 3) {
        options.onReject();
        throw exceeded(context, limit.usd, result.used, counter.periodEnd);
      }
      cap = Math.min(affordable, options.defaultMaxOutputTokens);
    }
    if (clientCap === undefined && context.input.operation === 'chat') {
      context.gatewayOutputCap = cap;
      (request as { max_tokens?: number | null }).max_tokens = cap;
    }
    // A failed renewal (counter store briefly away) leaves the hold to its expiry: the call is
    // still settled at its end, so nothing is lost but some headroom for a while.
    const renewal =
      reservation === '' ? undefined : setInterval(() => void options.counters.extendReservation(counter.name, reservation, holdMs).catch(() => {}), holdMs / 2).unref();
    context.defer(() => {
      clearInterval(renewal);
      return counters.settle(key, counter, reservation, context.costUsd);
    });
    return next();
  };
}

function holdFor(route: AliasRoute): number {
  return Math.max(0, ...route.deployments.map((deployment) => deployment.timeoutMs)) + holdMarginMs;
}

function warnUnpriced(context: CallContext, warned: Set<string>, onUnpriced: NonNullable<BudgetOptions['onUnpriced']>): void {
  const unpriced = context.route.deployments.filter((deployment) => deployment.unpriced);
  if (unpriced.length === 0) return;
  const seen = `${context.key.id}\n${context.route.alias}`;
  if (warned.has(seen)) return;
  // Bounded: past this many pairs the warnings simply repeat.
  if (warned.size >= 10_000) warned.clear();
  warned.add(seen);
  onUnpriced(
    context.key.id,
    context.route.alias,
    unpriced.map((deployment) => deployment.id),
  );
}

function exceeded(context: CallContext, limitUsd: number, usedUsd: number, periodEnd: number | undefined): BreakwaterError {
  return new BreakwaterError(
    'BUDGET_EXCEEDED',
    `This key's budget of $${limitUsd} is used up ($${usedUsd.toFixed(6)} spent or reserved) and this request could cost more than what is left; raise the budget or wait for the next period.`,
    {
      details: { budgetUsd: limitUsd, usedUsd: Number(usedUsd.toFixed(6)), keyId: context.key.id },
      ...(periodEnd === undefined ? {} : { retryAfterSeconds: Math.ceil((periodEnd - Date.now()) / 1000) }),
    },
  );
}
