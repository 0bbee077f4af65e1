import type { KeyView } from '../session';

/** One row of GET /v1/usage: the ledger by key, model, day and route tier. */
export interface UsageRow {
  key_id: string | null;
  model: string;
  day: string;
  route_tier: string | null;
  requests: number;
  errors: number;
  cache_hits: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  pii_detections: Record<string, number>;
}

export type Dimension = 'model' | 'key' | 'tenant' | 'tier';

export interface Totals {
  requests: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const empty = (): Totals => ({ requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });

function add(totals: Totals, row: UsageRow): void {
  totals.requests += row.requests;
  totals.errors += row.errors;
  totals.cacheHits += row.cache_hits;
  totals.inputTokens += row.input_tokens;
  totals.outputTokens += row.output_tokens;
  totals.costUsd += row.cost_usd;
}

export function totalsOf(rows: readonly UsageRow[]): Totals {
  const totals = empty();
  for (const row of rows) add(totals, row);
  return totals;
}

/** The label of a row along a dimension (keys by name when the admin's key list is known). */
export function groupOf(row: UsageRow, dimension: Dimension, keys: ReadonlyMap<string, KeyView>): string {
  switch (dimension) {
    case 'model':
      return row.model;
    case 'tier':
      return row.route_tier ?? 'not routed';
    case 'key':
      return row.key_id === null ? 'no key' : (keys.get(row.key_id)?.name ?? row.key_id);
    case 'tenant':
      return row.key_id === null ? 'no key' : (keys.get(row.key_id)?.tenant ?? 'unknown');
  }
}

/** Totals per group, largest spend first. */
export function byGroup(rows: readonly UsageRow[], dimension: Dimension, keys: ReadonlyMap<string, KeyView>): Array<{ group: string } & Totals> {
  const groups = new Map<string, Totals>();
  for (const row of rows) {
    const group = groupOf(row, dimension, keys);
    const totals = groups.get(group) ?? empty();
    add(totals, row);
    groups.set(group, totals);
  }
  return [...groups].map(([group, totals]) => ({ group, ...totals })).sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
}

/** Every day from `from` to `to` (YYYY-MM-DD, UTC), so quiet days show as zero rather than vanish. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += 86_400_000) days.push(new Date(time).toISOString().slice(0, 10));
  return days;
}

/** One point per day with a value per group (for stacked charts) and the day's totals. */
export function series(rows: readonly UsageRow[], days: readonly string[], dimension: Dimension, keys: ReadonlyMap<string, KeyView>, groups: readonly string[]) {
  const points = new Map(days.map((day) => [day, { day, totals: empty(), requests: {} as Record<string, number>, cost: {} as Record<string, number> }]));
  for (const row of rows) {
    const point = points.get(row.day);
    if (!point) continue;
    const group = groupOf(row, dimension, keys);
    if (!groups.includes(group)) continue;
    add(point.totals, row);
    point.requests[group] = (point.requests[group] ?? 0) + row.requests;
    point.cost[group] = (point.cost[group] ?? 0) + row.cost_usd;
  }
  return [...points.values()].map((point) => ({
    day: point.day.slice(5),
    ...Object.fromEntries(
      groups.flatMap((group) => [
        [`requests:${group}`, point.requests[group] ?? 0],
        [`cost:${group}`, point.cost[group] ?? 0],
      ]),
    ),
    inputTokens: point.totals.inputTokens,
    outputTokens: point.totals.outputTokens,
    errorRate: point.totals.requests ? (100 * point.totals.errors) / point.totals.requests : 0,
    cacheHitRate: point.totals.requests ? (100 * point.totals.cacheHits) / point.totals.requests : 0,
  }));
}

/**
 * A budget's burn: spend in its current period (UTC day or month) and, for day and month
 * budgets, the period-end spend if the pace so far continues.
 */
export function burnDown(key: KeyView, rows: readonly UsageRow[], now: Date): { spent: number; forecast: number | null; periodStart: string } | undefined {
  if (!key.budget) return undefined;
  const today = now.toISOString().slice(0, 10);
  const periodStart = key.budget.period === 'day' ? today : key.budget.period === 'month' ? `${today.slice(0, 7)}-01` : new Date(key.created_at * 1000).toISOString().slice(0, 10);
  const spent = rows.filter((row) => row.key_id === key.id && row.day >= periodStart).reduce((sum, row) => sum + row.cost_usd, 0);
  if (key.budget.period === 'total') return { spent, forecast: null, periodStart };
  const start = Date.parse(`${periodStart}T00:00:00Z`);
  const end = key.budget.period === 'day' ? start + 86_400_000 : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = Math.max(now.getTime() - start, 60_000);
  return { spent, forecast: (spent * (end - start)) / elapsed, periodStart };
}

export const usd = (value: number) => (value < 0.01 && value > 0 ? `$${value.toFixed(6)}` : `$${value.toFixed(2)}`);
export const count = (value: number) => value.toLocaleString();
export const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '—');

/** GET /v1/usage/latency: p50 and p95 per UTC day of the latest requests. */
export interface LatencyByDay {
  requests: number;
  data: ReadonlyArray<{ day: string; requests: number; p50_ms: number; p95_ms: number }>;
}

/** The latency chart's points: one per day of the window, null where the day had no request. */
export function latencyPoints(latency: LatencyByDay | undefined, days: readonly string[]) {
  const byDay = new Map((latency?.data ?? []).map((row) => [row.day, row]));
  return days.map((day) => {
    const row = byDay.get(day);
    return { day: day.slice(5), p50: row?.p50_ms ?? null, p95: row?.p95_ms ?? null, requests: row?.requests ?? 0 };
  });
}
