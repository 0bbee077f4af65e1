import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { LedgerStore, LedgerWindowStats, UsageAggregate, UsageQuery, UsageRequestQuery, UsageRow } from '../../../core/ports/store.js';
import { toWindowStats, type WindowRow } from '../usage-window.js';
import { encodeUsageCursor, fromUsageRequestRow, type UsageRequestRow, usageRequestColumns, usageRequestFilters } from '../usage-request-rows.js';
import type { Page } from '../../../core/ports/page.js';
import { toUsageAggregates, type PiiSum, type UsageGroup } from '../usage-aggregates.js';

const operationCode = { chat: 0, embeddings: 1 } as const;
const cacheCode = { miss: 0, hit: 1, bypass: 2, semantic: 3 } as const;
const cascadeCode = { answered: 0, escalated: 1 } as const;
const nanosPerUsd = 1_000_000_000;

/**
 * One INSERT for a whole batch: each column travels as one array parameter and `unnest`
 * zips them back into rows, so a batch of any size is one round trip and one statement.
 */
const insertBatch = `INSERT INTO usage (ts, request_id, key_id, alias, deployment, operation, input_tokens, output_tokens, cost_nanos,
                                        latency_ms, overhead_ms, status, cache, error_code, route_tier, route_reason, pii,
                                        cascade, cascade_first_cost_nanos, prompt_name, prompt_version, row_key)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::integer[], $8::integer[],
                       $9::bigint[], $10::double precision[], $11::double precision[], $12::smallint[], $13::smallint[], $14::text[],
                       $15::text[], $16::text[], $17::jsonb[], $18::smallint[], $19::bigint[], $20::text[], $21::integer[], $22::uuid[])
  ON CONFLICT (row_key) DO NOTHING`;

/**
 * Each row object's key, made the first time it is written. The ledger writer hands the same
 * objects back after a failed flush, so a retry of a batch whose COMMIT did land (its answer lost
 * with the connection) carries the same keys and stores nothing twice.
 */
const rowKeys = new WeakMap<UsageRow, string>();
const rowKey = (row: UsageRow): string => {
  let key = rowKeys.get(row);
  if (key === undefined) rowKeys.set(row, (key = randomUUID()));
  return key;
};

export class PostgresLedgerStore implements LedgerStore {
  constructor(private readonly pool: pg.Pool) {}

  async appendUsage(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <T>(value: (row: UsageRow) => T): T[] => rows.map(value);
    await this.pool.query({
      name: 'bw-usage-insert-v5',
      text: insertBatch,
      values: [
        column((row) => row.ts),
        column((row) => row.requestId),
        column((row) => row.keyId),
        column((row) => row.alias),
        column((row) => row.deployment),
        column((row) => operationCode[row.operation]),
        column((row) => row.inputTokens),
        column((row) => row.outputTokens),
        column((row) => Math.round(row.costUsd * nanosPerUsd)),
        column((row) => row.latencyMs),
        column((row) => row.overheadMs),
        column((row) => row.status),
        column((row) => cacheCode[row.cache]),
        column((row) => row.errorCode),
        column((row) => row.routeTier),
        column((row) => row.routeReason),
        column((row) => (row.pii === null ? null : JSON.stringify(row.pii))),
        column((row) => (row.cascade ? cascadeCode[row.cascade] : null)),
        column((row) => (row.cascadeFirstCostUsd == null ? null : Math.round(row.cascadeFirstCostUsd * nanosPerUsd))),
        column((row) => row.promptName ?? null),
        column((row) => row.promptVersion ?? null),
        column(rowKey),
      ],
    });
  }

  async aggregateUsage(query: UsageQuery): Promise<UsageAggregate[]> {
    const where = ['ts >= $1', 'ts < $2'];
    const values: unknown[] = [query.from, query.to];
    if (query.keyId !== undefined) where.push(`key_id = $${values.push(query.keyId)}`);
    if (query.alias !== undefined) where.push(`alias = $${values.push(query.alias)}`);
    // Days are UTC, and NULL keys and tiers sort first, as in the embedded store.
    const day = `to_char(to_timestamp(ts / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    const [groups, piiSums] = await Promise.all([
      this.pool.query<UsageGroup>(
        `SELECT key_id AS "keyId", alias, ${day} AS day, route_tier AS "routeTier",
                count(*) AS requests, count(*) FILTER (WHERE status >= 400) AS errors, count(*) FILTER (WHERE cache IN (1, 3)) AS "cacheHits",
                sum(input_tokens)::bigint AS "inputTokens", sum(output_tokens)::bigint AS "outputTokens", sum(cost_nanos)::bigint AS "costNanos"
         FROM usage WHERE ${where.join(' AND ')}
         GROUP BY key_id, alias, day, route_tier ORDER BY day, key_id NULLS FIRST, alias, route_tier NULLS FIRST`,
        values,
      ),
      this.pool.query<PiiSum>(
        `SELECT key_id AS "keyId", alias, ${day} AS day, route_tier AS "routeTier", detection.key AS type, sum(detection.value::integer) AS count
         FROM usage, jsonb_each_text(pii) AS detection WHERE pii IS NOT NULL AND ${where.join(' AND ')}
         GROUP BY key_id, alias, day, route_tier, detection.key`,
        values,
      ),
    ]);
    return toUsageAggregates(groups.rows, piiSums.rows);
  }

  async spendSince(keyId: string, since: number): Promise<number> {
    const result = await this.pool.query<{ nanos: number }>({
      name: 'bw-usage-spend',
      text: 'SELECT coalesce(sum(cost_nanos), 0)::bigint AS nanos FROM usage WHERE key_id = $1 AND ts >= $2',
      values: [keyId, since],
    });
    return result.rows[0]!.nanos / nanosPerUsd;
  }

  async deleteUsageBefore(ts: number): Promise<number> {
    const result = await this.pool.query({ name: 'bw-usage-prune', text: 'DELETE FROM usage WHERE ts < $1', values: [ts] });
    return result.rowCount ?? 0;
  }

  async windowStats(from: number, to: number): Promise<LedgerWindowStats[]> {
    // Chat calls only (operation 0), exact and semantic cache hits (1, 3) left out: they say nothing about the model.
    const result = await this.pool.query<WindowRow>({
      name: 'bw-usage-window',
      text: `SELECT alias, prompt_name, prompt_version, count(*)::int AS requests, sum(CASE WHEN status >= 500 THEN 1 ELSE 0 END)::int AS errors,
              avg(latency_ms)::float8 AS latency, avg(cost_nanos)::float8 AS cost, avg(input_tokens)::float8 AS input, avg(output_tokens)::float8 AS output
         FROM usage WHERE ts >= $1 AND ts < $2 AND operation = 0 AND cache NOT IN (1, 3)
        GROUP BY alias, prompt_name, prompt_version ORDER BY alias, prompt_name, prompt_version`,
      values: [from, to],
    });
    return result.rows.map(toWindowStats);
  }

  async listRequests(query: UsageRequestQuery): Promise<Page<UsageRow>> {
    const { where, values } = usageRequestFilters(query, (index) => `$${index}`);
    const result = await this.pool.query<UsageRequestRow>(
      `SELECT ${usageRequestColumns} FROM usage WHERE ${where.join(' AND ')} ORDER BY ts DESC, request_id DESC LIMIT $${values.length + 1}`,
      [...values, query.limit + 1],
    );
    const data = result.rows.slice(0, query.limit).map(fromUsageRequestRow);
    return { data, nextCursor: result.rows.length > query.limit ? encodeUsageCursor(data.at(-1)!) : null };
  }

  async latestLatencies(query: UsageRequestQuery): Promise<Array<{ ts: number; latencyMs: number }>> {
    const { cursor: _ignored, ...filters } = query;
    const { where, values } = usageRequestFilters(filters, (index) => `$${index}`);
    const result = await this.pool.query<{ ts: number; latency_ms: number }>(
      `SELECT ts, latency_ms FROM usage WHERE ${where.join(' AND ')} ORDER BY ts DESC LIMIT $${values.length + 1}`,
      [...values, query.limit],
    );
    return result.rows.map((row) => ({ ts: Number(row.ts), latencyMs: row.latency_ms }));
  }
}
