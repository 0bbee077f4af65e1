import type { LedgerWindowStats } from '../../core/ports/store.js';

/** A row of the ledger's window query (both stores). */
export interface WindowRow {
  alias: string;
  prompt_name: string | null;
  prompt_version: number | null;
  requests: number;
  errors: number;
  latency: number;
  cost: number;
  input: number;
  output: number;
}

export function toWindowStats(row: WindowRow): LedgerWindowStats {
  return {
    alias: row.alias,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    requests: Number(row.requests),
    errors: Number(row.errors),
    meanLatencyMs: Number(row.latency),
    meanCostUsd: Number(row.cost) / 1_000_000_000,
    meanInputTokens: Number(row.input),
    meanOutputTokens: Number(row.output),
  };
}
