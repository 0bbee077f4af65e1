import { Counter, Gauge, type Registry } from 'prom-client';

/** Prometheus figures of shadow mode and strangler routes, in the app's registry. */
export class LlmopsMetrics {
  private readonly shadowSamples: Counter<'shadow' | 'outcome'>;
  private readonly stranglerDecisions: Counter<'route' | 'side' | 'reason'>;
  private readonly stranglerRolledBack: Gauge<'route'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.shadowSamples = new Counter({
      name: 'breakwater_shadow_samples_total',
      help: 'Sampled calls handed to a shadow candidate, by outcome (compared, candidate-error, skipped-busy, skipped-budget).',
      labelNames: ['shadow', 'outcome'],
      registers,
    });
    this.stranglerDecisions = new Counter({
      name: 'breakwater_strangler_decisions_total',
      help: 'Strangler route requests by the side that answered and why (split, rolled-back, ai-error, ai-schema-failure).',
      labelNames: ['route', 'side', 'reason'],
      registers,
    });
    this.stranglerRolledBack = new Gauge({
      name: 'breakwater_strangler_rolled_back',
      help: '1 while a strangler route is rolled back to its legacy handler on this node.',
      labelNames: ['route'],
      registers,
    });
  }

  countShadowSample(shadow: string, outcome: string): void {
    this.shadowSamples.inc({ shadow, outcome });
  }

  countStranglerDecision(route: string, side: string, reason: string): void {
    this.stranglerDecisions.inc({ route, side, reason });
  }

  setStranglerRolledBack(route: string, rolledBack: boolean): void {
    this.stranglerRolledBack.set({ route }, rolledBack ? 1 : 0);
  }
}
