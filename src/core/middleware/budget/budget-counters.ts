import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { Counters } from '../../ports/counters.js';
import type { LedgerStore, VirtualKey } from '../../ports/store.js';
import { budgetWindow } from './budget-period.js';

export type BudgetedKey = VirtualKey & { budget: NonNullable<VirtualKey['budget']> };

/** Where a key's budget of the current period is counted. */
export interface BudgetCounter {
  name: string;
  /** Start of the period: the ledger's spend since then seeds the counter. */
  start: number;
  ttlMs: number;
  periodEnd: number | undefined;
}

/** A `total` budget's counter lives as long as the process (re-seeded from the ledger on start). */
const forever = 100 * 366 * 86_400_000;
/** Seeding that found the counter gone again (a store evicting keys as fast as they come) gives up after this many rounds. */
const seedRounds = 3;

/**
 * The budget counters of keys, kept in the counters port and seeded from the ledger whenever
 * the port has none: at a period's first call, after a restart, and after the counter store
 * (Redis) lost its keys — never read as zero. Concurrent calls that find a counter missing
 * share one ledger query.
 *
 * Spend settled into a counter shortly before the store lost it, whose ledger rows were not yet
 * flushed (one `ledger.flushIntervalMs`), is missing from the re-seeded counter; the ledger
 * itself still has it.
 */
export class BudgetCounters {
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(private readonly options: { counters: Counters; ledger: LedgerStore }) {}

  counterOf(key: BudgetedKey, now = Date.now()): BudgetCounter {
    const window = budgetWindow(key.budget.period, now);
    return {
      name: `budget:${key.id}:${window.label}`,
      start: window.start,
      ttlMs: (window.end ?? now + forever) - now + 3_600_000,
      periodEnd: window.end,
    };
  }

  /** Holds `amount` for `holdMs` if it fits the budget, seeding a missing counter first. */
  async reserve(key: BudgetedKey, counter: BudgetCounter, amount: number, holdMs: number): Promise<{ ok: true; used: number; reservation: string } | { ok: false; used: number }> {
    for (let round = 0; round < seedRounds; round++) {
      const result = await this.options.counters.reserve(counter.name, amount, key.budget.usd, holdMs);
      if (result.status === 'reserved') return { ok: true, used: result.used, reservation: result.reservation };
      if (result.status === 'refused') return { ok: false, used: result.used };
      await this.seed(key, counter);
    }
    throw vanished(key);
  }

  /** Ends the hold and adds what the call cost, seeding a counter lost meanwhile. */
  async settle(key: BudgetedKey, counter: BudgetCounter, reservation: string, actual: number): Promise<void> {
    for (let round = 0; round < seedRounds; round++) {
      if (await this.options.counters.settle(counter.name, reservation, actual)) return;
      // This call's ledger row is written after this step, so the seed does not count it yet.
      await this.seed(key, counter);
    }
    throw vanished(key);
  }

  /** Share of the key's budget neither spent nor held (0..1); undefined without a budget. */
  async headroom(key: VirtualKey): Promise<number | undefined> {
    const budget = key.budget;
    if (!budget) return undefined;
    const budgeted = { ...key, budget };
    // Reserving nothing holds nothing and reports what is used.
    const { used } = await this.reserve(budgeted, this.counterOf(budgeted), 0, 1);
    return Math.max(0, 1 - used / budget.usd);
  }

  private seed(key: BudgetedKey, counter: BudgetCounter): Promise<void> {
    let seeding = this.seeding.get(counter.name);
    if (!seeding) {
      seeding = this.options.ledger
        .spendSince(key.id, counter.start)
        .then((spent) => this.options.counters.seed(counter.name, spent, counter.ttlMs))
        .finally(() => this.seeding.delete(counter.name));
      this.seeding.set(counter.name, seeding);
    }
    return seeding;
  }
}

function vanished(key: VirtualKey): BreakwaterError {
  return new BreakwaterError(
    'INTERNAL_ERROR',
    `The budget counter of key ${key.id} vanished ${seedRounds} times right after it was seeded from the ledger; make the counter store keep its keys (Redis: maxmemory-policy noeviction) and retry.`,
    { details: { keyId: key.id } },
  );
}
