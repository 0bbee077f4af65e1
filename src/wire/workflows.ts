import { z } from 'zod';

/** Body of POST /v1/workflows/:name/runs. */
export const startRunSchema = z
  .object({
    input: z.unknown().optional(),
    /** A registered version; the latest by default. */
    version: z.number().int().positive().optional(),
    /** Signed notifications: approval requested, run ended. */
    webhook: z.object({ url: z.url() }).strict().optional(),
  })
  .strict();
export type StartRunBody = z.infer<typeof startRunSchema>;

/** Body of POST /v1/approvals/:id/approve and /reject. */
export const decisionSchema = z
  .object({
    /** Who decided (an approver's name or id; recorded in the journal). */
    by: z.string().min(1).max(200),
    reason: z.string().max(2_000).optional(),
    /** approve only: the tool's arguments as edited by the approver (validated against its schema). */
    args: z.unknown().optional(),
  })
  .strict();
export type DecisionBody = z.infer<typeof decisionSchema>;

export const wireRunStatuses = ['queued', 'running', 'waiting_approval', 'succeeded', 'failed', 'cancelled'] as const;
export type WireRunStatus = (typeof wireRunStatuses)[number];
export const wireApprovalStatuses = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;

/** A workflow run. Times are Unix seconds. */
export interface WireWorkflowRun {
  id: string;
  object: 'workflow.run';
  workflow: string;
  version: number;
  state: string;
  status: WireRunStatus;
  context: Record<string, unknown>;
  /** Journal entries written so far (the last one's seq). */
  steps: number;
  budget_spent_usd: number;
  error: { code: string; message: string } | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** Admin callers only: the tenant the run belongs to. */
  tenant?: string;
}

/** One journal entry; also the data of each SSE event of GET /v1/workflow-runs/:id/events (event name = kind, id = seq). */
export interface WireJournalEntry {
  object: 'workflow.step';
  run_id: string;
  seq: number;
  kind: 'model-decision' | 'tool-call' | 'tool-result' | 'approval-request' | 'approval-escalation' | 'approval-decision' | 'transition' | 'error';
  state: string;
  input: unknown;
  output: unknown;
  actor: string | null;
  at: number;
}

export interface WireApproval {
  id: string;
  object: 'workflow.approval';
  run_id: string;
  workflow: string;
  state: string;
  tool: string;
  args: unknown;
  status: (typeof wireApprovalStatuses)[number];
  decided_by: string | null;
  reason: string | null;
  edited_args: unknown;
  created_at: number;
  expires_at: number | null;
  decided_at: number | null;
  /** Who is asked to decide (after an escalation: its target); null for anyone. */
  assignee: string | null;
  /** When a pending request is escalated to `escalate_to`; null: never. */
  escalate_at: number | null;
  escalate_to: string | null;
  escalated_at: number | null;
}

/** The events of GET /v1/approvals/events (SSE: `event:` the type, `id:` the seq); data is the approval as it was then. */
export type WireApprovalEventType = 'approval-request' | 'approval-escalation' | 'approval-decision';

/** Body of a workflow webhook (signed like job webhooks; `id` is also the breakwater-webhook-id header). */
export interface WireWorkflowWebhook {
  id: string;
  type: 'workflow.approval_requested' | 'workflow.approval_escalated' | 'workflow.succeeded' | 'workflow.failed' | 'workflow.cancelled';
  created_at: number;
  data: { run: WireWorkflowRun; approval: WireApproval | null };
}

export interface WireWorkflow {
  name: string;
  object: 'workflow';
  version: number;
  description: string | null;
  states: string[];
  tools: string[];
}

export interface WireReplay {
  object: 'workflow.replay';
  run_id: string;
  steps: number;
  matches: boolean;
  divergences: Array<{ seq: number; kind: string; message: string }>;
  state: string;
  context: Record<string, unknown>;
}
