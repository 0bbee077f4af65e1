/**
 * One row of the strangler ledger: a route request (which side answered and why), or an
 * operator event on the route (the automatic rollback with its reason, a resume).
 */
export interface StranglerLedgerRow {
  at: number;
  route: string;
  /** The route request's id; an AI attempt's model call has the same request_id in the usage ledger. */
  requestId: string;
  event: 'request' | 'rollback' | 'resume';
  tenant: string | null;
  keyId: string | null;
  /** The side whose answer the caller got; null for operator events and a request that got no answer. */
  side: 'ai' | 'legacy' | null;
  /** split, rolled-back, ai-error, ai-schema-failure (requests); failure-rate (rollback); operator (resume). */
  reason: string;
  /** The AI side's failure code (ai-error, ai-schema-failure), or the legacy handler's when it failed too. */
  failure: string | null;
  /** True when the AI side was tried: these rows make the rollback window. */
  aiAttempted: boolean;
  aiFailed: boolean;
  /** The registry prompt version the AI side rendered. */
  promptName: string | null;
  promptVersion: number | null;
  /** The legacy handler's HTTP status when it was called. */
  legacyStatus: number | null;
  /** The route request's whole latency. */
  latencyMs: number | null;
  /** Rollback: the failure rate and AI requests of the window that triggered it. */
  failureRate: number | null;
  windowRequests: number | null;
  /** Who resumed the route (admin). */
  actor: string | null;
}

export interface StranglerLedgerEntry extends StranglerLedgerRow {
  id: number;
}

/** A route's shared state: rolled back or not, and where its current window starts (the last resume). */
export interface StranglerRouteState {
  rolledBack: { at: number; failureRate: number; requests: number } | null;
  windowFrom: number;
}

export interface StranglerWindow {
  requests: number;
  failures: number;
}

/**
 * The strangler routes' shared state and ledger (the store's strangler domain): every node
 * reads the rollback and counts the window here, so a route rolls back for all of them at once.
 */
export interface StranglerStore {
  state(route: string): Promise<StranglerRouteState>;
  /** Appends a ledger row. */
  append(row: StranglerLedgerRow): Promise<void>;
  /** AI attempts and failures of a route at or after `since` (every node's). */
  window(route: string, since: number): Promise<StranglerWindow>;
  /**
   * Marks the route rolled back, with `row` (event rollback) in the ledger, unless it already
   * is: true when this call did it (one node of many wins).
   */
  rollBack(route: string, row: StranglerLedgerRow): Promise<boolean>;
  /** Clears the rollback and starts a new window at `row.at`, with `row` (event resume) in the ledger. */
  resume(route: string, row: StranglerLedgerRow): Promise<void>;
  /** A route's ledger rows, newest first, below `beforeId` when given. */
  list(route: string, query: { limit: number; beforeId?: number }): Promise<StranglerLedgerEntry[]>;
  deleteBefore(at: number): Promise<number>;
}
