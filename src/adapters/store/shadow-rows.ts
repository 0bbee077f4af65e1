import type { ShadowSample } from '../../core/ports/shadow-store.js';

const nanosPerUsd = 1_000_000_000;

export interface ShadowSampleRow {
  shadow: string;
  tenant: string;
  request_id: string;
  at: number;
  outcome: ShadowSample['outcome'];
  fields: string | Record<string, boolean> | null;
  similarity: number | null;
  length_ratio: number | null;
  primary_latency_ms: number;
  candidate_latency_ms: number | null;
  primary_cost_nanos: number;
  candidate_cost_nanos: number | null;
  example: string | ShadowSample['example'];
  error_code: string | null;
}

/** The row's values in column order: shadow … error_code (JSON columns as text). */
export function shadowRowValues(sample: ShadowSample): unknown[] {
  return [
    sample.shadow,
    sample.tenant,
    sample.requestId,
    sample.at,
    sample.outcome,
    sample.fields === null ? null : JSON.stringify(sample.fields),
    sample.similarity,
    Number.isFinite(sample.lengthRatio) ? sample.lengthRatio : null,
    sample.primaryLatencyMs,
    sample.candidateLatencyMs,
    Math.round(sample.primaryCostUsd * nanosPerUsd),
    sample.candidateCostUsd === null ? null : Math.round(sample.candidateCostUsd * nanosPerUsd),
    sample.example === null ? null : JSON.stringify(sample.example),
    sample.errorCode,
  ];
}

export const shadowColumns =
  'shadow, tenant, request_id, at, outcome, fields, similarity, length_ratio, primary_latency_ms, candidate_latency_ms, primary_cost_nanos, candidate_cost_nanos, example, error_code';

export function fromShadowRow(row: ShadowSampleRow): ShadowSample {
  const json = <T>(value: string | T | null): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  return {
    shadow: row.shadow,
    tenant: row.tenant,
    requestId: row.request_id,
    at: Number(row.at),
    outcome: row.outcome,
    fields: json<Record<string, boolean>>(row.fields),
    similarity: row.similarity,
    lengthRatio: row.length_ratio,
    primaryLatencyMs: row.primary_latency_ms,
    candidateLatencyMs: row.candidate_latency_ms,
    primaryCostUsd: Number(row.primary_cost_nanos) / nanosPerUsd,
    candidateCostUsd: row.candidate_cost_nanos === null ? null : Number(row.candidate_cost_nanos) / nanosPerUsd,
    example: json<{ primary: string; candidate: string }>(row.example),
    errorCode: row.error_code,
  };
}
