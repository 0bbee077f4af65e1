import type { StranglerLedgerEntry, StranglerLedgerRow, StranglerRouteState } from '../../core/ports/strangler-store.js';

export const stranglerColumns =
  'at, route, request_id, event, tenant, key_id, side, reason, failure, ai_attempted, ai_failed, prompt_name, prompt_version, legacy_status, latency_ms, failure_rate, window_requests, actor';

export interface StranglerDecisionRow {
  id: number;
  at: number;
  route: string;
  request_id: string;
  event: StranglerLedgerRow['event'];
  tenant: string | null;
  key_id: string | null;
  side: StranglerLedgerRow['side'];
  reason: string;
  failure: string | null;
  ai_attempted: number | boolean;
  ai_failed: number | boolean;
  prompt_name: string | null;
  prompt_version: number | null;
  legacy_status: number | null;
  latency_ms: number | null;
  failure_rate: number | null;
  window_requests: number | null;
  actor: string | null;
}

/** The row's values in column order (`booleans`: PostgreSQL's; SQLite stores 0 and 1). */
export function stranglerRowValues(row: StranglerLedgerRow, booleans: boolean): unknown[] {
  const flag = (value: boolean) => (booleans ? value : value ? 1 : 0);
  return [
    row.at,
    row.route,
    row.requestId,
    row.event,
    row.tenant,
    row.keyId,
    row.side,
    row.reason,
    row.failure,
    flag(row.aiAttempted),
    flag(row.aiFailed),
    row.promptName,
    row.promptVersion,
    row.legacyStatus,
    row.latencyMs,
    row.failureRate,
    row.windowRequests,
    row.actor,
  ];
}

export function fromStranglerRow(row: StranglerDecisionRow): StranglerLedgerEntry {
  return {
    id: Number(row.id),
    at: row.at,
    route: row.route,
    requestId: row.request_id,
    event: row.event,
    tenant: row.tenant,
    keyId: row.key_id,
    side: row.side,
    reason: row.reason,
    failure: row.failure,
    aiAttempted: Boolean(row.ai_attempted),
    aiFailed: Boolean(row.ai_failed),
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    legacyStatus: row.legacy_status,
    latencyMs: row.latency_ms,
    failureRate: row.failure_rate,
    windowRequests: row.window_requests,
    actor: row.actor,
  };
}

export interface StranglerStateRow {
  rolled_back_at: number | null;
  failure_rate: number | null;
  requests: number | null;
  window_from: number;
}

/** No row yet: never rolled back, the window open since the start. */
export function toState(row: StranglerStateRow | undefined): StranglerRouteState {
  if (!row) return { rolledBack: null, windowFrom: 0 };
  return {
    rolledBack: row.rolled_back_at === null ? null : { at: row.rolled_back_at, failureRate: row.failure_rate ?? 0, requests: row.requests ?? 0 },
    windowFrom: row.window_from,
  };
}
