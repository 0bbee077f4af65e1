import type { DriftStore } from '../ports/drift-store.js';
import type { LedgerStore } from '../ports/store.js';
import { type DriftThresholds, driftReport, type SeriesDrift } from './drift-report.js';
import { type QualityDrift, qualityReport, type QualityThresholds } from './quality-report.js';

export interface DriftMonitorsOptions {
  ledger: LedgerStore;
  windowMs: number;
  referenceMs: number;
  thresholds: DriftThresholds;
  /** The drift recorder's observations (quality and input distribution), when recorded. */
  observations?: { store: DriftStore; embedder: string; thresholds: QualityThresholds } | undefined;
  /** Writes buffered ledger rows (and drift observations) first, so the current window includes the latest calls. */
  flush?: () => Promise<void>;
  now?: () => number;
}

/**
 * Drift monitors over the usage ledger: per alias and prompt version, the current window
 * against the reference window before it — error rate, latency, cost per call, output length
 * and input length (from the ledger); and, from the drift recorder's observations, per alias,
 * prompt version and pipeline: schema-failure, repair and refusal rates and the input centroid's
 * distance.
 */
export class DriftMonitors {
  private readonly now: () => number;

  constructor(private readonly options: DriftMonitorsOptions) {
    this.now = options.now ?? Date.now;
  }

  async report(): Promise<{ window: { from: number; to: number }; reference: { from: number; to: number }; series: SeriesDrift[]; quality: QualityDrift[] }> {
    await this.options.flush?.();
    const to = this.now();
    const from = to - this.options.windowMs;
    const referenceFrom = from - this.options.referenceMs;
    const observed = this.options.observations;
    const [current, reference, currentObserved, referenceObserved] = await Promise.all([
      this.options.ledger.windowStats(from, to),
      this.options.ledger.windowStats(referenceFrom, from),
      observed ? observed.store.window(from, to) : [],
      observed ? observed.store.window(referenceFrom, from) : [],
    ]);
    return {
      window: { from, to },
      reference: { from: referenceFrom, to: from },
      series: driftReport(current, reference, this.options.thresholds),
      quality: observed ? qualityReport(currentObserved, referenceObserved, observed.embedder, observed.thresholds) : [],
    };
  }
}
