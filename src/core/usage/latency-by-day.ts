/** p50 and p95 of the latencies of one UTC day. */
export interface DayLatency {
  /** YYYY-MM-DD (UTC). */
  day: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Per UTC day, the p50 and p95 of the given calls' latencies (nearest rank: the value at
 * floor(q·n) of the sorted day, as the dashboard always showed them), oldest day first.
 * Days without calls are left out.
 */
export function latencyByDay(calls: ReadonlyArray<{ ts: number; latencyMs: number }>): DayLatency[] {
  const byDay = new Map<string, number[]>();
  for (const call of calls) {
    const day = new Date(call.ts).toISOString().slice(0, 10);
    let values = byDay.get(day);
    if (!values) byDay.set(day, (values = []));
    values.push(call.latencyMs);
  }
  const at = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return [...byDay]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return { day, requests: sorted.length, p50Ms: at(sorted, 0.5), p95Ms: at(sorted, 0.95) };
    });
}
