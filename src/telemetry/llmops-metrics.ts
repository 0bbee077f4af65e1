import { Counter, Gauge, type Registry } from 'prom-client';
import type { SeriesDrift } from '../core/drift/drift-report.js';
import type { QualityDrift } from '../core/drift/quality-report.js';

/** Prometheus figures of shadow mode and strangler routes, in the app's registry. */
export class LlmopsMetrics {
  private readonly shadowSamples: Counter<'shadow' | 'outcome'>;
  private readonly stranglerDecisions: Counter<'route' | 'side' | 'reason'>;
  private readonly stranglerRolledBack: Gauge<'route'>;
  private readonly stranglerRollbacks: Counter<'route'>;
  /** Read at each scrape: the drift monitors' series (set by the composition root). */
  driftSource: (() => Promise<SeriesDrift[]>) | undefined;
  /** Read at each scrape: the quality and input-distribution series. */
  qualitySource: (() => Promise<QualityDrift[]>) | undefined;

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
    const metrics = this;
    new Gauge({
      name: 'breakwater_monitor_drift',
      help: '1 for each signal (error_rate, latency, cost, output_tokens, input_tokens) of an alias and prompt version past its drift threshold, current window against reference (GET /v1/monitors).',
      labelNames: ['alias', 'prompt', 'signal'],
      registers,
      async collect() {
        this.reset();
        const series = await metrics.driftSource?.().catch(() => undefined);
        for (const entry of series ?? []) {
          if (!entry.judged) continue;
          for (const signal of ['error_rate', 'latency', 'cost', 'output_tokens', 'input_tokens'] as const) {
            this.set({ alias: entry.alias, prompt: entry.prompt ?? '', signal }, entry.drifting.some((drift) => drift.signal === signal) ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'breakwater_monitor_quality_drift',
      help: '1 for each signal (schema_failure_rate, repair_rate, refusal_rate, input_distribution) of an alias, prompt version and pipeline past its drift threshold, current window against reference (GET /v1/monitors, quality).',
      labelNames: ['alias', 'prompt', 'pipeline', 'signal'],
      registers,
      async collect() {
        this.reset();
        const series = await metrics.qualitySource?.().catch(() => undefined);
        for (const entry of series ?? []) {
          if (!entry.judged) continue;
          for (const signal of ['schema_failure_rate', 'repair_rate', 'refusal_rate', 'input_distribution'] as const) {
            this.set({ alias: entry.alias, prompt: entry.prompt ?? '', pipeline: entry.pipeline ?? '', signal }, entry.drifting.some((drift) => drift.signal === signal) ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'breakwater_monitor_input_distance',
      help: "Cosine distance between the current and reference windows' input centroids of an alias, prompt version and pipeline (built-in embedder).",
      labelNames: ['alias', 'prompt', 'pipeline'],
      registers,
      async collect() {
        this.reset();
        const series = await metrics.qualitySource?.().catch(() => undefined);
        for (const entry of series ?? []) {
          if (entry.inputDistance !== null) this.set({ alias: entry.alias, prompt: entry.prompt ?? '', pipeline: entry.pipeline ?? '' }, entry.inputDistance);
        }
      },
    });
    this.stranglerRolledBack = new Gauge({
      name: 'breakwater_strangler_rolled_back',
      help: '1 while a strangler route is rolled back to its legacy handler (the shared state as this node last read it: each request and status read reads it).',
      labelNames: ['route'],
      registers,
    });
    this.stranglerRollbacks = new Counter({
      name: 'breakwater_strangler_rollbacks_total',
      help: 'Automatic rollbacks of a strangler route to its legacy handler, counted on the node whose request crossed the failure threshold.',
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

  countStranglerRollback(route: string): void {
    this.stranglerRollbacks.inc({ route });
  }

  setStranglerRolledBack(route: string, rolledBack: boolean): void {
    this.stranglerRolledBack.set({ route }, rolledBack ? 1 : 0);
  }
}
