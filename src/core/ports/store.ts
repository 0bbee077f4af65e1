import type { FeedbackStore } from './feedback-store.js';
import type { DispatchOutbox } from './dispatch-outbox.js';
import type { JobStore } from './job-store.js';
import type { PromptStore } from './prompt-store.js';
import type { PromptRegistryStore } from './prompt-registry.js';
import type { ShadowStore } from './shadow-store.js';
import type { StranglerStore } from './strangler-store.js';
import type { DriftStore } from './drift-store.js';
import type { Page } from './page.js';
import type { RecordStore } from './record-store.js';
import type { WebhookDeliveryStore } from './webhook-delivery-store.js';
import type { WorkflowStore } from './workflow-store.js';

/** A virtual key as stored: the secret itself is never stored, only its SHA-256 hash. */
export interface VirtualKey {
  id: string;
  name: string;
  /** First characters of the secret, to recognise a key in lists (`bw_4fQx…`). */
  prefix: string;
  /** Scope of caches, jobs and records. Defaults to the key's own id. */
  tenant: string;
  /** Aliases this key may call; null means every alias. */
  allowedModels: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget: { usd: number; period: BudgetPeriod } | null;
  tags: Record<string, string>;
  /** What happens to personal data in this key's requests; null follows the model's policy. */
  piiPolicy: PiiMode | null;
  createdAt: number;
  revokedAt: number | null;
}

export type BudgetPeriod = 'day' | 'month' | 'total';

/**
 * PII policy modes, weakest first: `off` sends prompts as they are, `log` only counts what it
 * finds, `redact` swaps values for placeholders restored in the answer, `mask` replaces them
 * for good, `block` refuses the request (400 PII_BLOCKED).
 */
export const piiModes = ['off', 'log', 'redact', 'mask', 'block'] as const;
export type PiiMode = (typeof piiModes)[number];

export type NewVirtualKey = Omit<VirtualKey, 'createdAt' | 'revokedAt'> & { hash: string };

export interface KeyStore {
  createKey(key: NewVirtualKey): Promise<VirtualKey>;
  findKeyByHash(hash: string): Promise<VirtualKey | undefined>;
  findKey(id: string): Promise<VirtualKey | undefined>;
  listKeys(): Promise<VirtualKey[]>;
  revokeKey(id: string, at: number): Promise<VirtualKey | undefined>;
}

/** One compact ledger row per request; no prompt text, no metadata blobs. */
export interface UsageRow {
  ts: number;
  requestId: string;
  keyId: string | null;
  alias: string;
  deployment: string | null;
  operation: 'chat' | 'embeddings';
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  overheadMs: number;
  status: number;
  cache: 'miss' | 'hit' | 'semantic' | 'bypass';
  errorCode: string | null;
  /** The cost-aware router's tier and the features that decided it (`auto` aliases only). */
  routeTier: string | null;
  routeReason: string | null;
  /** Personal data found in the request: counts by type, never values; null when none. */
  pii: Record<string, number> | null;
  /**
   * A structured call's cascade (`auto` aliases): `answered` by the tier tried first, or
   * `escalated` to the dearer tier after a schema failure; null (or absent) when none ran.
   */
  cascade?: 'answered' | 'escalated' | null;
  /** What an escalated call's discarded first answer cost; included in `costUsd`. */
  cascadeFirstCostUsd?: number | null;
  /** The registry prompt (name and version) the request was served with; null (or absent) when none. */
  promptName?: string | null;
  promptVersion?: number | null;
}

export interface UsageQuery {
  from: number;
  to: number;
  keyId?: string;
  alias?: string;
}

export interface UsageAggregate {
  keyId: string | null;
  alias: string;
  day: string;
  /** The tier an `auto` alias routed to; null for other aliases. */
  routeTier: string | null;
  requests: number;
  errors: number;
  /** Exact and semantic cache hits. */
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Personal data found in these requests, by type (counts only). */
  piiDetections: Record<string, number>;
}

/**
 * Thrown by `appendUsage` when it failed after the first `written` rows were durably
 * stored (an adapter that commits in slices), so a retry writes only the rest and no usage
 * row, nor its cost, is counted twice.
 */
export class PartialLedgerWrite extends Error {
  constructor(
    readonly written: number,
    cause: unknown,
  ) {
    super(`the ledger stored ${written} rows, then failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PartialLedgerWrite';
  }
}

/** GET /v1/usage/requests: ledger rows newest first, filtered. */
export interface UsageRequestQuery {
  from: number;
  to: number;
  keyId?: string;
  alias?: string;
  promptName?: string;
  promptVersion?: number;
  routeTier?: string;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

/** Chat calls of one alias and prompt version in a time window (drift monitors). */
export interface LedgerWindowStats {
  alias: string;
  promptName: string | null;
  promptVersion: number | null;
  requests: number;
  /** Calls that ended 5xx (upstream failures, timeouts, open circuits). */
  errors: number;
  meanLatencyMs: number;
  meanCostUsd: number;
  meanInputTokens: number;
  meanOutputTokens: number;
}

export interface LedgerStore {
  /** Stores the rows in order; on failure nothing was stored, or it throws PartialLedgerWrite. */
  appendUsage(rows: readonly UsageRow[]): Promise<void>;
  aggregateUsage(query: UsageQuery): Promise<UsageAggregate[]>;
  /** USD a key has spent since `since` (epoch ms); seeds budget counters after a restart. */
  spendSince(keyId: string, since: number): Promise<number>;
  deleteUsageBefore(ts: number): Promise<number>;
  /** Chat calls in [from, to) grouped by alias and prompt version, cache hits left out (drift monitors). */
  windowStats(from: number, to: number): Promise<LedgerWindowStats[]>;
  /** Rows one by one, newest first (per-request cost); `pii` is left out. */
  listRequests(query: UsageRequestQuery): Promise<Page<UsageRow>>;
  /** The time and latency of the newest `limit` calls matching the filters (cursor ignored), newest first: the dashboard's latency chart. */
  latestLatencies(query: UsageRequestQuery): Promise<Array<{ ts: number; latencyMs: number }>>;
}

export interface StoreCapabilities {
  /** Several processes may share this store (false for an embedded file used by one process). */
  shared: boolean;
}

/** The store port: the source of truth for keys, the usage ledger, jobs and records. */
export interface Store {
  readonly capabilities: StoreCapabilities;
  readonly keys: KeyStore;
  readonly ledger: LedgerStore;
  readonly jobs: JobStore;
  readonly records: RecordStore;
  readonly deliveries: WebhookDeliveryStore;
  readonly prompts: PromptStore;
  /** Named prompts with immutable versions, movable labels and their audit trail. */
  readonly promptRegistry: PromptRegistryStore;
  /** Candidate runs beside primary calls (shadow mode), for the shadow report. */
  readonly shadows: ShadowStore;
  /** Strangler routes' decision ledger and shared rollback state. */
  readonly strangler: StranglerStore;
  /** Drift monitors' observations of quality and input distribution, per minute and series. */
  readonly drift: DriftStore;
  readonly dispatches: DispatchOutbox;
  /** Routed calls of `auto` aliases and their ratings (route feedback). */
  readonly feedback: FeedbackStore;
  /** Workflow runs, their journals and approval requests. */
  readonly workflows: WorkflowStore;
  migrate(): Promise<{ applied: string[] }>;
  /** Resolves when the store answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
