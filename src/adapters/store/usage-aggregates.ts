import type { UsageAggregate } from '../../core/ports/store.js';

/** One aggregate group as both stores select it, before the PII sums are attached. */
export type UsageGroup = Omit<UsageAggregate, 'costUsd' | 'piiDetections'> & { costNanos: number | string };

/** A (group, PII type, count) sum from the ledger's `pii` column. */
export interface PiiSum {
  keyId: string | null;
  alias: string;
  day: string;
  routeTier: string | null;
  type: string;
  count: number | string;
}

const nanosPerUsd = 1_000_000_000;

function groupOf(row: { keyId: string | null; alias: string; day: string; routeTier: string | null }): string {
  return JSON.stringify([row.keyId, row.alias, row.day, row.routeTier]);
}

/** Shared by the SQLite and PostgreSQL ledgers: nano-dollars to USD, and PII sums onto their groups. */
export function toUsageAggregates(groups: readonly UsageGroup[], piiSums: readonly PiiSum[]): UsageAggregate[] {
  const detections = new Map<string, Record<string, number>>();
  for (const sum of piiSums) {
    const group = groupOf(sum);
    const counts = detections.get(group) ?? {};
    counts[sum.type] = (counts[sum.type] ?? 0) + Number(sum.count);
    detections.set(group, counts);
  }
  return groups.map(({ costNanos, ...group }) => ({
    ...group,
    requests: Number(group.requests),
    errors: Number(group.errors),
    cacheHits: Number(group.cacheHits),
    inputTokens: Number(group.inputTokens),
    outputTokens: Number(group.outputTokens),
    costUsd: Number(costNanos) / nanosPerUsd,
    piiDetections: detections.get(groupOf(group)) ?? {},
  }));
}
