import type { LedgerWindowStats } from '../ports/store.js';

/** Thresholds of the drift monitors (`monitors:` in the config). */
export interface DriftThresholds {
  /** Fewest calls in each window for a series to be judged at all. */
  minRequests: number;
  /** Relative increases that count as drift (0.5 = +50%). */
  latencyIncrease: number;
  costIncrease: number;
  /** Absolute increase of the error rate (0.05 = +5 points). */
  errorRateIncrease: number;
  /** Relative change either way of the mean output and input lengths. */
  outputLengthChange: number;
  inputLengthChange: number;
}

export type DriftSignal = 'error_rate' | 'latency' | 'cost' | 'output_tokens' | 'input_tokens';

export interface SeriesDrift {
  alias: string;
  /** `name@version`, or null for calls without a registry prompt. */
  prompt: string | null;
  current: WindowFigures;
  reference: WindowFigures | null;
  /** Signals past their threshold; empty when the series is steady or has too few calls to judge. */
  drifting: Array<{ signal: DriftSignal; current: number; reference: number; change: number; threshold: number }>;
  judged: boolean;
}

export interface WindowFigures {
  requests: number;
  errorRate: number;
  meanLatencyMs: number;
  meanCostUsd: number;
  meanInputTokens: number;
  meanOutputTokens: number;
}

/**
 * Compares each alias and prompt version's current window with its reference window (the same
 * series earlier). A series new in the current window has no reference and is not judged.
 */
export function driftReport(current: readonly LedgerWindowStats[], reference: readonly LedgerWindowStats[], thresholds: DriftThresholds): SeriesDrift[] {
  const key = (stats: LedgerWindowStats) => `${stats.alias}\0${stats.promptName ?? ''}\0${stats.promptVersion ?? ''}`;
  const earlier = new Map(reference.map((stats) => [key(stats), figures(stats)]));
  return current.map((stats) => {
    const now = figures(stats);
    const before = earlier.get(key(stats)) ?? null;
    const judged = before !== null && now.requests >= thresholds.minRequests && before.requests >= thresholds.minRequests;
    const drifting: SeriesDrift['drifting'] = [];
    if (judged) {
      const relative = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Number.POSITIVE_INFINITY) : (a - b) / b);
      const check = (signal: DriftSignal, a: number, b: number, change: number, threshold: number, past: boolean) => {
        if (past) drifting.push({ signal, current: a, reference: b, change, threshold });
      };
      const errors = now.errorRate - before.errorRate;
      check('error_rate', now.errorRate, before.errorRate, errors, thresholds.errorRateIncrease, errors >= thresholds.errorRateIncrease);
      const latency = relative(now.meanLatencyMs, before.meanLatencyMs);
      check('latency', now.meanLatencyMs, before.meanLatencyMs, latency, thresholds.latencyIncrease, latency >= thresholds.latencyIncrease);
      const cost = relative(now.meanCostUsd, before.meanCostUsd);
      check('cost', now.meanCostUsd, before.meanCostUsd, cost, thresholds.costIncrease, cost >= thresholds.costIncrease);
      const output = relative(now.meanOutputTokens, before.meanOutputTokens);
      check('output_tokens', now.meanOutputTokens, before.meanOutputTokens, output, thresholds.outputLengthChange, Math.abs(output) >= thresholds.outputLengthChange);
      const input = relative(now.meanInputTokens, before.meanInputTokens);
      check('input_tokens', now.meanInputTokens, before.meanInputTokens, input, thresholds.inputLengthChange, Math.abs(input) >= thresholds.inputLengthChange);
    }
    return { alias: stats.alias, prompt: stats.promptName === null ? null : `${stats.promptName}@${stats.promptVersion}`, current: now, reference: before, drifting, judged };
  });
}

function figures(stats: LedgerWindowStats): WindowFigures {
  return {
    requests: stats.requests,
    errorRate: stats.requests === 0 ? 0 : stats.errors / stats.requests,
    meanLatencyMs: stats.meanLatencyMs,
    meanCostUsd: stats.meanCostUsd,
    meanInputTokens: stats.meanInputTokens,
    meanOutputTokens: stats.meanOutputTokens,
  };
}
