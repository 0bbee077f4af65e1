import type { ShadowSample } from '../ports/shadow-store.js';
import { genericPath } from './compare-outputs.js';
import type { ShadowDefinition } from './shadow-runner.js';

export interface ShadowReport {
  shadow: string;
  samples: number;
  compared: number;
  candidateErrors: number;
  /** Agreeing field comparisons over all field comparisons (structured), or agreeing texts over texts; null before any. */
  agreement: number | null;
  /** Samples whose every field (or whose text) agreed. */
  fullAgreement: number | null;
  /** By field path with array indices as `[]`, weakest first. */
  fields: Array<{ path: string; agreement: number; comparisons: number }>;
  text: { meanSimilarity: number; meanLengthRatio: number; samples: number } | null;
  latencyMs: { primaryP50: number; candidateP50: number; deltaP50: number } | null;
  costUsd: { primaryMean: number; candidateMean: number; deltaMean: number } | null;
  disagreements: Array<{ requestId: string; at: number; fields: string[]; primary: string; candidate: string }>;
  recommendation: { action: 'promote' | 'keep-shadowing' | 'do-not-promote'; reasons: string[] };
}

/** Disagreeing examples shown. */
const maxExamples = 10;

/** The report of a shadow's recent samples, newest first as the store returns them: agreement, deltas, examples, a recommendation with its evidence. */
export function shadowReport(name: string, definition: ShadowDefinition, samples: readonly ShadowSample[]): ShadowReport {
  const compared = samples.filter((sample) => sample.outcome === 'compared');
  const errors = samples.length - compared.length;
  const byField = new Map<string, { agreed: number; total: number }>();
  let fieldAgreed = 0;
  let fieldTotal = 0;
  let fullyAgreed = 0;
  const texts = compared.filter((sample) => sample.fields === null);
  for (const sample of compared) {
    if (sample.fields === null) {
      if ((sample.similarity ?? 0) >= definition.compare.textSimilarity) fullyAgreed++;
      continue;
    }
    let all = true;
    for (const [path, agreed] of Object.entries(sample.fields)) {
      const entry = byField.get(genericPath(path)) ?? { agreed: 0, total: 0 };
      entry.total++;
      fieldTotal++;
      if (agreed) {
        entry.agreed++;
        fieldAgreed++;
      } else all = false;
      byField.set(genericPath(path), entry);
    }
    if (all) fullyAgreed++;
  }
  const textAgreed = texts.filter((sample) => (sample.similarity ?? 0) >= definition.compare.textSimilarity).length;
  const agreement = fieldTotal > 0 ? (fieldAgreed + textAgreed) / (fieldTotal + texts.length) : texts.length > 0 ? textAgreed / texts.length : null;
  const fields = [...byField]
    .map(([path, entry]) => ({ path, agreement: entry.agreed / entry.total, comparisons: entry.total }))
    .sort((a, b) => a.agreement - b.agreement || a.path.localeCompare(b.path));
  const candidateLatencies = compared.map((sample) => sample.candidateLatencyMs ?? 0);
  const primaryLatencies = compared.map((sample) => sample.primaryLatencyMs);
  const latencyMs =
    compared.length > 0
      ? { primaryP50: median(primaryLatencies), candidateP50: median(candidateLatencies), deltaP50: median(candidateLatencies) - median(primaryLatencies) }
      : null;
  const costUsd =
    compared.length > 0
      ? {
          primaryMean: mean(compared.map((sample) => sample.primaryCostUsd)),
          candidateMean: mean(compared.map((sample) => sample.candidateCostUsd ?? 0)),
          deltaMean: mean(compared.map((sample) => (sample.candidateCostUsd ?? 0) - sample.primaryCostUsd)),
        }
      : null;
  const disagreements = compared
    .filter((sample) => sample.example !== null)
    .slice(0, maxExamples)
    .map((sample) => ({
      requestId: sample.requestId,
      at: sample.at,
      fields: Object.entries(sample.fields ?? {})
        .filter(([, agreed]) => !agreed)
        .map(([path]) => path),
      primary: sample.example!.primary,
      candidate: sample.example!.candidate,
    }));
  return {
    shadow: name,
    samples: samples.length,
    compared: compared.length,
    candidateErrors: errors,
    agreement,
    fullAgreement: compared.length > 0 ? fullyAgreed / compared.length : null,
    fields,
    text:
      texts.length > 0
        ? { meanSimilarity: mean(texts.map((sample) => sample.similarity ?? 0)), meanLengthRatio: mean(texts.map((sample) => sample.lengthRatio ?? 0)), samples: texts.length }
        : null,
    latencyMs,
    costUsd,
    disagreements,
    recommendation: recommend(definition, samples.length, compared.length, errors, agreement, fields),
  };
}

function recommend(
  definition: ShadowDefinition,
  samples: number,
  compared: number,
  errors: number,
  agreement: number | null,
  fields: ShadowReport['fields'],
): ShadowReport['recommendation'] {
  const { minSamples, minAgreement, maxErrorRate } = definition.promote;
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const reasons: string[] = [];
  const errorRate = samples > 0 ? errors / samples : 0;
  if (samples > 0 && errorRate > maxErrorRate)
    reasons.push(`the candidate failed ${errors} of ${samples} samples (${percent(errorRate)}), above the ${percent(maxErrorRate)} allowed`);
  if (agreement !== null && agreement < minAgreement) {
    const weakest = fields.filter((field) => field.agreement < minAgreement).slice(0, 3);
    reasons.push(
      `agreement is ${percent(agreement)}, below the ${percent(minAgreement)} required${weakest.length > 0 ? `; weakest fields: ${weakest.map((field) => `${field.path} ${percent(field.agreement)}`).join(', ')}` : ''}`,
    );
  }
  if (reasons.length > 0 && compared >= minSamples) return { action: 'do-not-promote', reasons };
  if (compared < minSamples) return { action: 'keep-shadowing', reasons: [`${compared} of the ${minSamples} compared samples needed so far`, ...reasons] };
  return {
    action: 'promote',
    reasons: [
      `agreement ${percent(agreement ?? 0)} over ${compared} compared samples meets ${percent(minAgreement)}`,
      `candidate errors ${percent(errorRate)} within ${percent(maxErrorRate)}`,
    ],
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
