import { testCallContext, testKey } from '../../../../test/support/call-context.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../../adapters/counters/memory/memory-counters.js';
import type { CallContext, CallOutcome, CallSettlement } from '../../gateway/call-context.js';
import type { Counters } from '../../ports/counters.js';
import type { LedgerStore } from '../../ports/store.js';
import type { AliasRoute, Deployment } from '../../routing/alias-route.js';
import { budget } from './index.js';

const deployment = { id: 'up/m', model: 'm', weight: 1, timeoutMs: 1_000, retries: 0, price: { input: 1e6, output: 1e6 } } as Deployment;
const route: AliasRoute = { alias: 'priced', strategy: 'fallback', deployments: [deployment], maxPrice: deployment.price };
const completion: CallOutcome = { kind: 'completion', completion: { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] } };
/** The hold lifetime of this route: its timeout plus the 30 s margin. */
const holdMs = 31_000;

/** Counters whose store can be lost, as a Redis restart loses its keys; counts extensions. */
class LosableCounters implements Counters {
  inner = new MemoryCounters();
  extensions = 0;
  takeFromWindow: Counters['takeFromWindow'] = (...args) => this.inner.takeFromWindow(...args);
  adjustWindow: Counters['adjustWindow'] = (...args) => this.inner.adjustWindow(...args);
  reserve: Counters['reserve'] = (...args) => this.inner.reserve(...args);
  settle: Counters['settle'] = (...args) => this.inner.settle(...args);
  seed: Counters['seed'] = (...args) => this.inner.seed(...args);
  extendReservation: Counters['extendReservation'] = (...args) => {
    this.extensions++;
    return this.inner.extendReservation(...args);
  };
  lose(): void {
    this.inner = new MemoryCounters();
  }
}

/** A ledger whose spend the test sets (what the flushed rows add up to); counts queries. */
function ledger(): LedgerStore & { spent: number; queries: number } {
  return {
    spent: 0,
    queries: 0,
    async spendSince() {
      this.queries++;
      return this.spent;
    },
    async appendUsage() {},
    async aggregateUsage() {
      return [];
    },
    async deleteUsageBefore() {
      return 0;
    },
    async windowStats() {
      return [];
    },
    async listRequests() {
      return { data: [], nextCursor: null };
    },
    async latestLatencies() {
      return [];
    },
  };
}

function call(usd: number): { context: CallContext; settle(costUsd: number): Promise<void> } {
  const steps: Array<(settlement: CallSettlement) => void | Promise<void>> = [];
  const context = testCallContext({
    key: testKey({ budget: { usd, period: 'day' } }),
    route,
    input: { operation: 'chat', request: { model: 'priced', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 } },
    cacheControl: { noStore: true, noCache: true },
    // Reserves (ceil(0 * 1.1) + 8) input + 1 output token at $1 each: $9.
    estimatedInputTokens: 0,
    defer: (step) => steps.push(step),
  });
  return {
    context,
    async settle(costUsd) {
      context.costUsd = costUsd;
      for (const step of steps) await step({ error: undefined, completion: undefined });
    },
  };
}

const options = (counters: Counters, store: LedgerStore) => ({ counters, ledger: store, defaultMaxOutputTokens: 100, minOutputTokens: 1, onReject: () => {} });

describe('budget middleware', () => {
  it('re-seeds a counter the store lost from the ledger instead of starting at zero', async () => {
    const counters = new LosableCounters();
    const store = ledger();
    const middleware = budget(options(counters, store));
    const first = call(20);
    await middleware(first.context, async () => completion);
    await first.settle(9);
    store.spent = 9; // the ledger row was flushed
    counters.lose();
    const second = call(20);
    await middleware(second.context, async () => completion);
    await second.settle(9);
    await assert.rejects(
      middleware(call(20).context, async () => completion),
      { code: 'BUDGET_EXCEEDED' },
    );
  });

  it('settles a call whose counter was lost mid-call into the re-seeded counter', async () => {
    const counters = new LosableCounters();
    const store = ledger();
    const middleware = budget(options(counters, store));
    const running = call(20);
    await middleware(running.context, async () => completion);
    counters.lose();
    store.spent = 5; // other calls' spend, flushed meanwhile
    await running.settle(7);
    const { used } = (await counters.reserve(`budget:k1:day:${new Date().toISOString().slice(0, 10)}`, 0, 20, 1)) as { used: number };
    assert.equal(used, 12);
  });

  it('lets calls that find the counter missing at once share one ledger query', async () => {
    const counters = new LosableCounters();
    const store = ledger();
    const middleware = budget(options(counters, store));
    await Promise.all(Array.from({ length: 5 }, () => middleware(call(100).context, async () => completion)));
    assert.equal(store.queries, 1);
  });

  it("renews a running call's hold every half lifetime, and stops once it is settled", async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const counters = new LosableCounters();
    const running = call(20);
    await budget(options(counters, ledger()))(running.context, async () => completion);
    t.mock.timers.tick(holdMs / 2);
    t.mock.timers.tick(holdMs / 2);
    assert.equal(counters.extensions, 2);
    await running.settle(1);
    t.mock.timers.tick(holdMs);
    assert.equal(counters.extensions, 2);
  });
});
