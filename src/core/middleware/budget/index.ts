import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { Counters } from '../../ports/counters.js';
import type { LedgerStore, VirtualKey } from '../../ports/store.js';
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
 * A key's budget counter, seeded once per process from the ledger (concurrent first calls
 * share one seed and one ledger query).
 */
export class BudgetCounters {
  private readonly seeded = new Map<string, Promise<void>>();

  constructor(private readonly options: Pick<BudgetOptions, 'counters' | 'ledger'>) {}

  /** The counter of the key's current period, seeded; with its TTL and the period's end. */
  async open(key: VirtualKey & { budget: NonNullable<VirtualKey['budget']> }): Promise<{ counter: string; ttlMs: number; periodEnd: number | undefined }> {
    const window = budgetWindow(key.budget.period, Date.now());
    const counter = `budget:${key.id}:${window.label}`;
    const ttlMs = (window.end ?? Date.now() + forever) - Date.now() + 3_600_000;
    let seeding = this.seeded.get(counter);
    if (!seeding) {
      seeding = this.options.ledger.spendSince(key.id, window.start).then((spent) => this.options.counters.seed(counter, spent, ttlMs));
      // A failed seed (store or counters unreachable) is retried by the next call.
      seeding.catch(() => this.seeded.delete(counter));
      this.seeded.set(counter, seeding);
    }
    await seeding;
    return { counter, ttlMs, periodEnd: window.end };
  }

  /** Share of the key's budget neither spent nor reserved (0..1); undefined without a budget. */
  async headroom(key: VirtualKey): Promise<number | undefined> {
    const budget = key.budget;
    if (!budget) return undefined;
    const { counter, ttlMs } = await this.open({ ...key, budget });
    // Reserving nothing succeeds and reports what is used, without changing the counter.
    const { used } = await this.options.counters.reserve(counter, 0, budget.usd, ttlMs);
    return Math.max(0, 1 - used / budget.usd);
  }
}

/**
 * Reserves a call's worst-case cost before the upstream call and trues it up afterwards.
 * The reservation covers the prompt (tokenizer count plus a 10% margin, since vendors
 * tokenize differently) and the output cap, at the dearest deployment of the alias. When
 * the client sets no cap the gateway sets the largest one the remaining budget affords, so
 * no answer — streamed or not — can spend past the budget.
 */
export function budget(options: BudgetOptions, counters = new BudgetCounters(options)): ModelMiddleware {
  return async (context, next) => {
    const limit = context.key.budget;
    if (!limit) return next();
    const { counter, ttlMs, periodEnd } = await counters.open({ ...context.key, budget: limit });
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
        throw exceeded(context, limit.usd, result.used, periodEnd);
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
