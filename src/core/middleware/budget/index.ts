import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { Counters } from '../../ports/counters.js';
import type { LedgerStore } from '../../ports/store.js';
import { budgetWindow } from './budget-period.js';

export interface BudgetOptions {
  counters: Counters;
  ledger: LedgerStore;
  defaultMaxOutputTokens: number;
  /** Below this many affordable output tokens a request is refused rather than truncated to nothing. */
  minOutputTokens: number;
  onReject(): void;
}

/** A `total` budget's counter lives as long as the process (re-seeded from the ledger on start). */
const forever = 100 * 366 * 86_400_000;

/**
 * Reserves a call's worst-case cost before the upstream call and trues it up afterwards.
 * The reservation covers the prompt (tokenizer count plus a 10% margin, since vendors
 * tokenize differently) and the output cap, at the dearest deployment of the alias. When
 * the client sets no cap the gateway sets the largest one the remaining budget affords, so
 * no answer — streamed or not — can spend past the budget.
 */
export function budget(options: BudgetOptions): ModelMiddleware {
  /** One seed per counter per process; concurrent first calls share it (one ledger query). */
  const seeded = new Map<string, Promise<void>>();
  return async (context, next) => {
    const limit = context.key.budget;
    if (!limit) return next();
    const window = budgetWindow(limit.period, Date.now());
    const counter = `budget:${context.key.id}:${window.label}`;
    const ttlMs = (window.end ?? Date.now() + forever) - Date.now() + 3_600_000;
    let seeding = seeded.get(counter);
    if (!seeding) {
      seeding = options.ledger.spendSince(context.key.id, window.start).then((spent) => options.counters.seed(counter, spent, ttlMs));
      // A failed seed (store or counters unreachable) is retried by the next call.
      seeding.catch(() => seeded.delete(counter));
      seeded.set(counter, seeding);
    }
    await seeding;
    const price = context.route.maxPrice;
    const inputCost = ((Math.ceil(context.estimatedInputTokens * 1.1) + 8) * price.input) / 1_000_000;
    const perOutputToken = price.output / 1_000_000;
    const request = context.input.request;
    const clientCap = context.input.operation === 'chat' ? (context.input.request.max_completion_tokens ?? context.input.request.max_tokens ?? undefined) : 0;
    let cap = clientCap ?? options.defaultMaxOutputTokens;
    let reserved = 0;
    for (let round = 0; ; round++) {
      reserved = inputCost + cap * perOutputToken;
      const result = await options.counters.reserve(counter, reserved, limit.usd, ttlMs);
      if (result.ok) break;
      const affordable = perOutputToken > 0 ? Math.floor((limit.usd - result.used - inputCost) / perOutputToken) : 0;
      if (clientCap !== undefined || affordable < options.minOutputTokens || round === 3) {
        options.onReject();
        throw exceeded(context, limit.usd, result.used, window.end);
      }
      cap = Math.min(affordable, options.defaultMaxOutputTokens);
    }
    if (clientCap === undefined && context.input.operation === 'chat') {
      context.gatewayOutputCap = cap;
      (request as { max_tokens?: number | null }).max_tokens = cap;
    }
    context.defer(() => options.counters.settle(counter, reserved, context.costUsd, ttlMs));
    return next();
  };
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
