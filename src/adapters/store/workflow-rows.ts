import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { Approval, ApprovalEvent, JournalEntry, WorkflowRun } from '../../core/ports/workflow-store.js';
import { nanosPerUsd } from './job-rows.js';

/** Rows of the workflow tables as both SQL adapters read them (JSON kept as text in both). */
export interface RunRow {
  id: string;
  tenant: string;
  key_id: string;
  workflow: string;
  version: number;
  state: string;
  context: string;
  status: WorkflowRun['status'];
  seq: number;
  budget_spent_nanos: number;
  error: string | null;
  webhook_url: string | null;
  idempotency_key: string | null;
  request_hash: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface JournalRow {
  run_id: string;
  seq: number;
  kind: JournalEntry['kind'];
  state: string;
  input: string | null;
  output: string | null;
  actor: string | null;
  at: number;
}

export interface ApprovalRow {
  id: string;
  run_id: string;
  tenant: string;
  workflow: string;
  seq: number;
  state: string;
  tool: string;
  args: string | null;
  status: Approval['status'];
  decided_by: string | null;
  reason: string | null;
  edited_args: string | null;
  created_at: number;
  expires_at: number | null;
  decided_at: number | null;
  assignee: string | null;
  escalate_at: number | null;
  escalate_to: string | null;
  escalated_at: number | null;
}

export interface ApprovalEventRow {
  seq: number;
  tenant: string;
  approval_id: string;
  type: ApprovalEvent['type'];
  data: string;
  at: number;
}

export const runColumns =
  'id, tenant, key_id, workflow, version, state, context, status, seq, budget_spent_nanos, error, webhook_url, idempotency_key, request_hash, created_at, updated_at, finished_at';
export const journalColumns = 'run_id, seq, kind, state, input, output, actor, at';
export const approvalColumns =
  'id, run_id, tenant, workflow, seq, state, tool, args, status, decided_by, reason, edited_args, created_at, expires_at, decided_at, assignee, escalate_at, escalate_to, escalated_at';
export const approvalEventColumns = 'seq, tenant, approval_id, type, data, at';

/** JSON text of a value; undefined and null are stored as SQL NULL. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parsed(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function toRun(row: RunRow): WorkflowRun {
  return {
    id: row.id,
    tenant: row.tenant,
    keyId: row.key_id,
    workflow: row.workflow,
    version: row.version,
    state: row.state,
    context: JSON.parse(row.context) as Record<string, unknown>,
    status: row.status,
    seq: row.seq,
    budgetSpentUsd: row.budget_spent_nanos / nanosPerUsd,
    error: parsed(row.error) as WorkflowRun['error'],
    webhookUrl: row.webhook_url,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export function toEntry(row: JournalRow): JournalEntry {
  return { runId: row.run_id, seq: row.seq, kind: row.kind, state: row.state, input: parsed(row.input), output: parsed(row.output), actor: row.actor, at: row.at };
}

export function toApproval(row: ApprovalRow): Approval {
  return {
    id: row.id,
    runId: row.run_id,
    tenant: row.tenant,
    workflow: row.workflow,
    seq: row.seq,
    state: row.state,
    tool: row.tool,
    args: parsed(row.args),
    status: row.status,
    decidedBy: row.decided_by,
    reason: row.reason,
    editedArgs: parsed(row.edited_args),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    assignee: row.assignee,
    escalateAt: row.escalate_at,
    escalateTo: row.escalate_to,
    escalatedAt: row.escalated_at,
  };
}

export function toApprovalEvent(row: ApprovalEventRow): ApprovalEvent {
  return { seq: row.seq, tenant: row.tenant, approvalId: row.approval_id, type: row.type, data: JSON.parse(row.data), at: row.at };
}

export function toNanos(usd: number): number {
  return Math.round(usd * nanosPerUsd);
}

export function idempotencyKeyReused(key: string): BreakwaterError {
  return new BreakwaterError('IDEMPOTENCY_KEY_REUSED', `The Idempotency-Key "${key}" was already used with a different request body; use a new key for a new run.`, {
    param: 'Idempotency-Key',
  });
}
