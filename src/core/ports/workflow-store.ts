import type { Page } from './page.js';
import type { WebhookOutboxEntry } from './webhook-delivery-store.js';

export const workflowRunStatuses = ['queued', 'running', 'waiting_approval', 'succeeded', 'failed', 'cancelled'] as const;
export type WorkflowRunStatus = (typeof workflowRunStatuses)[number];
export const finishedRunStatuses: ReadonlySet<WorkflowRunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface WorkflowRunError {
  code: string;
  message: string;
}

/**
 * A workflow run as stored. `seq` is the sequence number of the last journal entry applied to
 * it: the row and the journal move together, one step per transaction (`appendStep`).
 */
export interface WorkflowRun {
  id: string;
  tenant: string;
  keyId: string;
  workflow: string;
  /** The definition version the run started with; it keeps it to the end. */
  version: number;
  state: string;
  context: Record<string, unknown>;
  status: WorkflowRunStatus;
  seq: number;
  budgetSpentUsd: number;
  error: WorkflowRunError | null;
  webhookUrl: string | null;
  idempotencyKey: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewWorkflowRun {
  id: string;
  tenant: string;
  keyId: string;
  workflow: string;
  version: number;
  state: string;
  context: Record<string, unknown>;
  webhookUrl: string | null;
  idempotencyKey: string | null;
  /** Hash of the start request: the same Idempotency-Key with another body is refused. */
  requestHash: string;
  createdAt: number;
}

export const journalKinds = ['model-decision', 'tool-call', 'tool-result', 'approval-request', 'approval-escalation', 'approval-decision', 'transition', 'error'] as const;
export type JournalKind = (typeof journalKinds)[number];

/** One step of a run: append-only, unique on (runId, seq). */
export interface JournalEntry {
  runId: string;
  seq: number;
  kind: JournalKind;
  /** The state the run was in when the step was taken. */
  state: string;
  input: unknown;
  output: unknown;
  /** Who took the step: `model`, `engine`, the approver's name, `system` (expiry). */
  actor: string | null;
  at: number;
}

export const approvalStatuses = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** A durable request for a human decision on one tool call. */
export interface Approval {
  id: string;
  runId: string;
  tenant: string;
  workflow: string;
  /** Journal seq of the approval-request entry. */
  seq: number;
  state: string;
  tool: string;
  args: unknown;
  status: ApprovalStatus;
  decidedBy: string | null;
  reason: string | null;
  /** Arguments the approver substituted (approve with edits); null when unchanged. */
  editedArgs: unknown;
  createdAt: number;
  expiresAt: number | null;
  decidedAt: number | null;
  /** Who is asked to decide: a person or group label, or null for anyone with the tenant's key. */
  assignee: string | null;
  /** When a still-pending request is escalated (handed to `escalateTo`); null: never. */
  escalateAt: number | null;
  escalateTo: string | null;
  escalatedAt: number | null;
}

export const approvalEventTypes = ['approval-request', 'approval-escalation', 'approval-decision'] as const;
export type ApprovalEventType = (typeof approvalEventTypes)[number];

/**
 * One change of a tenant's approvals, in the order they were written (`seq`, per store; the
 * id of the SSE event of GET /v1/approvals/events). `data` is the approval as it was then.
 */
export interface ApprovalEvent {
  seq: number;
  tenant: string;
  approvalId: string;
  type: ApprovalEventType;
  data: unknown;
  at: number;
}

/** The run row after a step (every field the step may change). */
export interface RunPatch {
  state: string;
  context: Record<string, unknown>;
  status: WorkflowRunStatus;
  budgetSpentUsd: number;
  error: WorkflowRunError | null;
}

export interface ApprovalDecision {
  id: string;
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string;
  reason: string | null;
  editedArgs: unknown;
}

export interface AppendStep {
  /** The entry; its seq must be the run's seq + 1. */
  entry: JournalEntry;
  run: RunPatch;
  /** A new approval request written with the entry. */
  approval?: Omit<Approval, 'status' | 'decidedBy' | 'reason' | 'editedArgs' | 'decidedAt' | 'escalatedAt'>;
  /** A pending approval decided by this step: the step is refused unless it is still pending. */
  decision?: ApprovalDecision;
  /** A pending approval handed to `to` by this step: refused unless it is pending and was not escalated yet. */
  escalation?: { id: string; to: string };
  /** Written with the step: the approvals event it makes (request, escalation, decision). */
  approvalEvent?: Omit<ApprovalEvent, 'seq'>;
  /** Webhooks announcing the step, written to the webhook outbox with it (sent by the dispatchers, retried). */
  webhooks?: { tenant: string; entries: readonly WebhookOutboxEntry[] };
  /**
   * A step computed from this one by code alone (its seq is this one's + 1), written in the same
   * transaction: both are stored or neither is, and a conflict on either refuses both.
   */
  followedBy?: AppendStep;
}

export interface RunListFilter {
  status?: WorkflowRunStatus;
  workflow?: string;
  cursor?: string;
  limit: number;
}

export interface ApprovalListFilter {
  status?: ApprovalStatus;
  assignee?: string;
  workflow?: string;
  runId?: string;
  cursor?: string;
  limit: number;
}

/**
 * Workflow runs, their journals and approvals (the store's workflows domain).
 *
 * `appendStep` is the fencing: it inserts the entry only if no entry has that (runId, seq) and
 * moves the run row with it in the same transaction. A worker that lost its job's lease and
 * tries to write a step another worker already wrote gets `conflict` and stops, so no step —
 * in particular no tool call — is recorded twice.
 */
export interface WorkflowStore {
  /** With an idempotency key the tenant already used: the existing run (`created: false`), or IDEMPOTENCY_KEY_REUSED for another body. */
  createRun(run: NewWorkflowRun): Promise<{ run: WorkflowRun; created: boolean }>;
  getRun(id: string, tenant?: string): Promise<WorkflowRun | undefined>;
  /** Newest first: one tenant's runs, or every tenant's when `tenant` is undefined (the admin's view). */
  listRuns(tenant: string | undefined, filter: RunListFilter): Promise<Page<WorkflowRun>>;
  /** Entries after `afterSeq`, oldest first, at most `limit`. */
  journal(runId: string, afterSeq: number, limit?: number): Promise<JournalEntry[]>;
  /** The entry with this seq, or undefined. */
  entry(runId: string, seq: number): Promise<JournalEntry | undefined>;
  /** Appends one step; `conflict` when the seq was taken, the run moved on, or the approval was no longer pending. */
  appendStep(step: AppendStep): Promise<'appended' | 'conflict'>;
  getApproval(id: string, tenant?: string): Promise<Approval | undefined>;
  listApprovals(tenant: string, filter: ApprovalListFilter): Promise<Page<Approval>>;
  /** Pending approvals whose expiry passed, oldest first. */
  expiredApprovals(now: number, limit: number): Promise<Approval[]>;
  /** Pending approvals due for escalation (escalateAt passed, not escalated yet), oldest first. */
  dueEscalations(now: number, limit: number): Promise<Approval[]>;
  /** The tenant's approval events after `afterSeq`, oldest first. */
  approvalEvents(tenant: string, afterSeq: number, limit: number): Promise<ApprovalEvent[]>;
  /** Runs queued or running whose row has not moved since `before` (a lost advance job). */
  stalledRuns(before: number, limit: number): Promise<WorkflowRun[]>;
  /** Deletes runs that finished before `before`, with their journals and approvals. */
  deleteFinishedBefore(before: number): Promise<number>;
}
