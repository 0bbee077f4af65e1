import type { LedgerStore } from '../ports/store.js';
import { type DriftThresholds, driftReport, type SeriesDrift } from './drift-report.js';

export interface DriftMonitorsOptions {
  ledger: LedgerStore;
  windowMs: number;
  referenceMs: number;
  thresholds: DriftThresholds;
  /** Writes buffered ledger rows first, so the current window includes the latest calls. */
  flush?: () => Promise<void>;
  now?: () => number;
}

/**
 * Drift monitors over the usage ledger: per alias and prompt version, the current window
 * against the reference window before it — error rate, latency, cost per call, output length
 * and input length (the input-distribution proxy the ledger holds).
 */
export class DriftMonitors {
  private readonly now: () => number;

  constructor(private readonly options: DriftMonitorsOptions) {
    this.now = options.now ?? Date.now;
  }

  async report(): Promise<{ window: { from: number; to: number }; reference: { from: number; to: number }; series: SeriesDrift[] }> {
    await this.options.flush?.();
    const to = this.now();
    const from = to - this.options.windowMs;
    const referenceFrom = from - this.options.referenceMs;
    const [current, reference] = await Promise.all([this.options.ledger.windowStats(from, to), this.options.ledger.windowStats(referenceFrom, from)]);
    return { window: { from, to }, reference: { from: referenceFrom, to: from }, series: driftReport(current, reference, this.options.thresholds) };
  }
}
