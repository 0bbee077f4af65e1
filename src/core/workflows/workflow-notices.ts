import { deliveryId } from '../jobs/job-webhooks.js';
import { type AppendStep, type Approval, type ApprovalEventType, finishedRunStatuses, type WorkflowRun } from '../ports/workflow-store.js';
import type { WireWorkflowWebhook } from '../../wire/workflows.js';
import { toWireApproval, toWireRun } from './workflow-view.js';

/** The run as it is after `step`. */
export function runAfter(run: WorkflowRun, step: AppendStep): WorkflowRun {
  const at = step.entry.at;
  return { ...run, ...step.run, seq: step.entry.seq, updatedAt: at, finishedAt: finishedRunStatuses.has(step.run.status) ? at : null };
}

/** The approval as the approval-request step writes it. */
export function requestedApproval(step: AppendStep): Approval | undefined {
  if (!step.approval) return undefined;
  return { ...step.approval, status: 'pending', decidedBy: null, reason: null, editedArgs: null, decidedAt: null, escalatedAt: null };
}

/**
 * Adds what a step owes its watchers, written in the step's own transaction so a crash loses
 * none: the approvals event of the tenant's stream (request, escalation, decision) and, when
 * the run has a webhook, the outbox entry announcing an approval request, an escalation or the
 * run's end. The webhook dispatchers send outbox entries with retries and a delivery log, like
 * job webhooks.
 */
export function withNotices(run: WorkflowRun, step: AppendStep, approval?: Approval): AppendStep {
  const at = step.entry.at;
  const approvalType: ApprovalEventType | undefined =
    step.entry.kind === 'approval-request' || step.entry.kind === 'approval-escalation' || step.entry.kind === 'approval-decision' ? step.entry.kind : undefined;
  const noticed: AppendStep = { ...step };
  if (approval && approvalType) {
    noticed.approvalEvent = { tenant: run.tenant, approvalId: approval.id, type: approvalType, data: toWireApproval(approval), at };
  }
  const after = runAfter(run, step);
  const type: WireWorkflowWebhook['type'] | undefined =
    step.entry.kind === 'approval-request'
      ? 'workflow.approval_requested'
      : step.entry.kind === 'approval-escalation'
        ? 'workflow.approval_escalated'
        : finishedRunStatuses.has(after.status)
          ? (`workflow.${after.status}` as WireWorkflowWebhook['type'])
          : undefined;
  if (run.webhookUrl && type) {
    const id = deliveryId();
    const body: WireWorkflowWebhook = {
      id,
      type,
      created_at: Math.floor(at / 1000),
      data: { run: toWireRun(after), approval: approval && type.includes('approval') ? toWireApproval(approval) : null },
    };
    noticed.webhooks = { tenant: run.tenant, entries: [{ id, url: run.webhookUrl, eventType: type, body: JSON.stringify(body) }] };
  }
  return noticed;
}
