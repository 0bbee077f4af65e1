import type { DriftObservation } from '../../core/ports/drift-store.js';

export const driftColumns = 'at, alias, prompt_name, prompt_version, pipeline, requests, schema_checked, schema_failures, repairs, refusals, embedded, embedding_sum, embedder';

export interface DriftObservationRow {
  at: number;
  alias: string;
  prompt_name: string | null;
  prompt_version: number | null;
  pipeline: string | null;
  requests: number;
  schema_checked: number;
  schema_failures: number;
  repairs: number;
  refusals: number;
  embedded: number;
  embedding_sum: string | null;
  embedder: string;
}

export function driftRowValues(observation: DriftObservation): unknown[] {
  const sum = observation.embeddingSum;
  return [
    observation.at,
    observation.alias,
    observation.promptName,
    observation.promptVersion,
    observation.pipeline,
    observation.requests,
    observation.schemaChecked,
    observation.schemaFailures,
    observation.repairs,
    observation.refusals,
    observation.embedded,
    sum ? Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength).toString('base64') : null,
    observation.embedder,
  ];
}

export function fromDriftRow(row: DriftObservationRow): DriftObservation {
  let embeddingSum: Float32Array | null = null;
  if (row.embedding_sum) {
    const bytes = Buffer.from(row.embedding_sum, 'base64');
    embeddingSum = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(embeddingSum.buffer).set(bytes);
  }
  return {
    at: Number(row.at),
    alias: row.alias,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version === null ? null : Number(row.prompt_version),
    pipeline: row.pipeline,
    requests: Number(row.requests),
    schemaChecked: Number(row.schema_checked),
    schemaFailures: Number(row.schema_failures),
    repairs: Number(row.repairs),
    refusals: Number(row.refusals),
    embedded: Number(row.embedded),
    embeddingSum,
    embedder: row.embedder,
  };
}
