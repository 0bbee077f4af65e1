import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { UsageRequestQuery, UsageRow } from '../../core/ports/store.js';

const operations = ['chat', 'embeddings'] as const;
const caches = ['miss', 'hit', 'bypass', 'semantic'] as const;

/** A `usage` row as both stores return it for GET /v1/usage/requests. */
export interface UsageRequestRow {
  ts: number;
  request_id: string;
  key_id: string | null;
  alias: string;
  deployment: string | null;
  operation: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  latency_ms: number;
  overhead_ms: number;
  status: number;
  cache: number;
  error_code: string | null;
  route_tier: string | null;
  route_reason: string | null;
  prompt_name: string | null;
  prompt_version: number | null;
}

export const usageRequestColumns =
  'ts, request_id, key_id, alias, deployment, operation, input_tokens, output_tokens, cost_nanos, latency_ms, overhead_ms, status, cache, error_code, route_tier, route_reason, prompt_name, prompt_version';

export function fromUsageRequestRow(row: UsageRequestRow): UsageRow {
  return {
    ts: Number(row.ts),
    requestId: row.request_id,
    keyId: row.key_id,
    alias: row.alias,
    deployment: row.deployment,
    operation: operations[row.operation] ?? 'chat',
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: Number(row.cost_nanos) / 1_000_000_000,
    latencyMs: row.latency_ms,
    overheadMs: row.overhead_ms,
    status: row.status,
    cache: caches[row.cache] ?? 'miss',
    errorCode: row.error_code,
    routeTier: row.route_tier,
    routeReason: row.route_reason,
    pii: null,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
  };
}

/** Newest first: the cursor is the last row's (ts, request_id), opaque to clients. */
export function encodeUsageCursor(row: UsageRow): string {
  return Buffer.from(JSON.stringify([row.ts, row.requestId])).toString('base64url');
}

/** The cursor's position; a cursor this API did not hand out is refused (400), never read as the first page. */
export function decodeUsageCursor(cursor: string): [number, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === 'string') return [value[0] as number, value[1]];
  throw new BreakwaterError('INVALID_REQUEST', 'The cursor is not one this API returned; pass next_cursor from the previous page unchanged.', { param: 'cursor' });
}

/** The filters as SQL conditions with `placeholder(n)` parameters, in one order for both stores. */
export function usageRequestFilters(query: UsageRequestQuery, placeholder: (index: number) => string): { where: string[]; values: unknown[] } {
  const values: unknown[] = [query.from, query.to];
  const where = [`ts >= ${placeholder(1)}`, `ts < ${placeholder(2)}`];
  const add = (column: string, value: unknown) => where.push(`${column} = ${placeholder(values.push(value))}`);
  if (query.keyId !== undefined) add('key_id', query.keyId);
  if (query.alias !== undefined) add('alias', query.alias);
  if (query.promptName !== undefined) add('prompt_name', query.promptName);
  if (query.promptVersion !== undefined) add('prompt_version', query.promptVersion);
  if (query.routeTier !== undefined) add('route_tier', query.routeTier);
  const after = query.cursor === undefined ? undefined : decodeUsageCursor(query.cursor);
  if (after) {
    // Each use its own parameter: SQLite's `?` placeholders are positional.
    const before = placeholder(values.push(after[0]));
    const same = placeholder(values.push(after[0]));
    const id = placeholder(values.push(after[1]));
    where.push(`(ts < ${before} OR (ts = ${same} AND request_id < ${id}))`);
  }
  return { where, values };
}
