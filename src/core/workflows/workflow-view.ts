import type { Approval, JournalEntry, WorkflowRun } from '../ports/workflow-store.js';
import type { WireApproval, WireJournalEntry, WireReplay, WireWorkflow, WireWorkflowRun } from '../../wire/workflows.js';
import type { Replay } from './workflow-replay.js';
import type { RegisteredWorkflow } from './workflow-registry.js';

const seconds = (ms: number) => Math.floor(ms / 1000);
const secondsOrNull = (ms: number | null) => (ms === null ? null : seconds(ms));

export function toWireRun(run: WorkflowRun): WireWorkflowRun {
  return {
    id: run.id,
    object: 'workflow.run',
    workflow: run.workflow,
    version: run.version,
    state: run.state,
    status: run.status,
    context: run.context,
    steps: run.seq,
    budget_spent_usd: run.budgetSpentUsd,
    error: run.error,
    created_at: seconds(run.createdAt),
    updated_at: seconds(run.updatedAt),
    finished_at: secondsOrNull(run.finishedAt),
  };
}

export function toWireEntry(entry: JournalEntry): WireJournalEntry {
  return {
    object: 'workflow.step',
    run_id: entry.runId,
    seq: entry.seq,
    kind: entry.kind,
    state: entry.state,
    input: entry.input,
    output: entry.output,
    actor: entry.actor,
    at: seconds(entry.at),
  };
}

export function toWireApproval(approval: Approval): WireApproval {
  return {
    id: approval.id,
    object: 'workflow.approval',
    run_id: approval.runId,
    workflow: approval.workflow,
    state: approval.state,
    tool: approval.tool,
    args: approval.args,
    status: approval.status,
    decided_by: approval.decidedBy,
    reason: approval.reason,
    edited_args: approval.editedArgs,
    created_at: seconds(approval.createdAt),
    expires_at: secondsOrNull(approval.expiresAt),
    decided_at: secondsOrNull(approval.decidedAt),
    assignee: approval.assignee,
    escalate_at: secondsOrNull(approval.escalateAt),
    escalate_to: approval.escalateTo,
    escalated_at: secondsOrNull(approval.escalatedAt),
  };
}

export function toWireWorkflow(workflow: RegisteredWorkflow): WireWorkflow {
  const definition = workflow.definition;
  return {
    name: definition.name,
    object: 'workflow',
    version: definition.version,
    description: definition.description ?? null,
    states: Object.keys(definition.states),
    tools: [...workflow.tools.keys()],
  };
}

export function toWireReplay(replay: Replay): WireReplay {
  return {
    object: 'workflow.replay',
    run_id: replay.runId,
    steps: replay.steps,
    matches: replay.matches,
    divergences: replay.divergences,
    state: replay.state,
    context: replay.context,
  };
}
