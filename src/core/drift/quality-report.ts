import type { DriftObservation } from '../ports/drift-store.js';

/** Thresholds of the quality and input-distribution signals (`monitors:`). */
export interface QualityThresholds {
  minRequests: number;
  /** Absolute increases of the rates (0.05 = +5 points). */
  schemaFailureIncrease: number;
  repairIncrease: number;
  refusalIncrease: number;
  /** Cosine distance (1 − cosine) between the windows' input centroids. */
  inputDistance: number;
}

export type QualitySignal = 'schema_failure_rate' | 'repair_rate' | 'refusal_rate' | 'input_distribution';

export interface QualityFigures {
  requests: number;
  schemaChecked: number;
  /** Over the calls that asked for JSON; null when none did. */
  schemaFailureRate: number | null;
  repairRate: number;
  refusalRate: number;
  embedded: number;
}

export interface QualityDrift {
  alias: string;
  prompt: string | null;
  pipeline: string | null;
  current: QualityFigures;
  reference: QualityFigures | null;
  /** 1 − cosine of the current and reference input centroids; null without embedded inputs in both. */
  inputDistance: number | null;
  drifting: Array<{ signal: QualitySignal; current: number; reference: number; change: number; threshold: number }>;
  judged: boolean;
}

interface Totals {
  alias: string;
  promptName: string | null;
  promptVersion: number | null;
  pipeline: string | null;
  requests: number;
  schemaChecked: number;
  schemaFailures: number;
  repairs: number;
  refusals: number;
  embedded: number;
  sum: Float32Array | null;
}

const seriesKey = (row: { alias: string; promptName: string | null; promptVersion: number | null; pipeline: string | null }) =>
  `${row.alias}\0${row.promptName ?? ''}\0${row.promptVersion ?? ''}\0${row.pipeline ?? ''}`;

function totals(observations: readonly DriftObservation[], embedder: string): Map<string, Totals> {
  const bySeries = new Map<string, Totals>();
  for (const row of observations) {
    const key = seriesKey(row);
    let entry = bySeries.get(key);
    if (!entry) {
      entry = { ...row, requests: 0, schemaChecked: 0, schemaFailures: 0, repairs: 0, refusals: 0, embedded: 0, sum: null };
      bySeries.set(key, entry);
    }
    entry.requests += row.requests;
    entry.schemaChecked += row.schemaChecked;
    entry.schemaFailures += row.schemaFailures;
    entry.repairs += row.repairs;
    entry.refusals += row.refusals;
    // Sums of another embedder (a changed configuration) are not comparable: left out.
    if (row.embeddingSum && row.embedder === embedder) {
      entry.sum ??= new Float32Array(row.embeddingSum.length);
      if (entry.sum.length === row.embeddingSum.length) {
        for (let index = 0; index < row.embeddingSum.length; index++) entry.sum[index]! += row.embeddingSum[index]!;
        entry.embedded += row.embedded;
      }
    }
  }
  return bySeries;
}

function figures(entry: Totals): QualityFigures {
  return {
    requests: entry.requests,
    schemaChecked: entry.schemaChecked,
    schemaFailureRate: entry.schemaChecked === 0 ? null : entry.schemaFailures / entry.schemaChecked,
    repairRate: entry.requests === 0 ? 0 : entry.repairs / entry.requests,
    refusalRate: entry.requests === 0 ? 0 : entry.refusals / entry.requests,
    embedded: entry.embedded,
  };
}

/** 1 − cosine similarity of two sums (the centroids' directions; the count cancels out). */
function cosineDistance(a: Float32Array, b: Float32Array): number | null {
  if (a.length !== b.length) return null;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  if (normA === 0 || normB === 0) return null;
  return 1 - dot / Math.sqrt(normA * normB);
}

/**
 * Each alias, prompt version and pipeline's current window against its reference: schema
 * failure, repair and refusal rates, and the distance between the two windows' input centroids.
 * A series is judged once both windows hold `minRequests` calls (and, for the input signal,
 * `minRequests` embedded inputs).
 */
export function qualityReport(current: readonly DriftObservation[], reference: readonly DriftObservation[], embedder: string, thresholds: QualityThresholds): QualityDrift[] {
  const earlier = totals(reference, embedder);
  return [...totals(current, embedder).entries()].map(([key, now]) => {
    const before = earlier.get(key);
    const nowFigures = figures(now);
    const beforeFigures = before ? figures(before) : null;
    const judged = beforeFigures !== null && now.requests >= thresholds.minRequests && beforeFigures.requests >= thresholds.minRequests;
    const inputDistance = before?.sum && now.sum && now.embedded > 0 && before.embedded > 0 ? cosineDistance(now.sum, before.sum) : null;
    const drifting: QualityDrift['drifting'] = [];
    if (judged && beforeFigures) {
      const rise = (signal: QualitySignal, a: number | null, b: number | null, threshold: number) => {
        if (a === null || b === null) return;
        if (a - b >= threshold) drifting.push({ signal, current: a, reference: b, change: a - b, threshold });
      };
      rise('schema_failure_rate', nowFigures.schemaFailureRate, beforeFigures.schemaFailureRate, thresholds.schemaFailureIncrease);
      rise('repair_rate', nowFigures.repairRate, beforeFigures.repairRate, thresholds.repairIncrease);
      rise('refusal_rate', nowFigures.refusalRate, beforeFigures.refusalRate, thresholds.refusalIncrease);
      if (inputDistance !== null && now.embedded >= thresholds.minRequests && before!.embedded >= thresholds.minRequests && inputDistance >= thresholds.inputDistance) {
        drifting.push({ signal: 'input_distribution', current: inputDistance, reference: 0, change: inputDistance, threshold: thresholds.inputDistance });
      }
    }
    return {
      alias: now.alias,
      prompt: now.promptName === null ? null : `${now.promptName}@${now.promptVersion}`,
      pipeline: now.pipeline,
      current: nowFigures,
      reference: beforeFigures,
      inputDistance,
      drifting,
      judged,
    };
  });
}
