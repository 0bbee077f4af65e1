import type Database from 'better-sqlite3';
import type { Page } from '../../../core/ports/page.js';
import type {
  AppendStep,
  Approval,
  ApprovalEvent,
  ApprovalListFilter,
  JournalEntry,
  NewWorkflowRun,
  RunListFilter,
  WorkflowRun,
  WorkflowStore,
} from '../../../core/ports/workflow-store.js';
import { finishedRunStatuses } from '../../../core/ports/workflow-store.js';
import { decodeCursor, encodeCursor, page } from '../job-rows.js';
import {
  type ApprovalEventRow,
  type ApprovalRow,
  approvalColumns,
  approvalEventColumns,
  idempotencyKeyReused,
  type JournalRow,
  journalColumns,
  json,
  type RunRow,
  runColumns,
  toApproval,
  toApprovalEvent,
  toEntry,
  toNanos,
  toRun,
} from '../workflow-rows.js';
import type { GroupCommit } from './group-commit.js';
import { SqliteWebhookDeliveryWrites } from './webhook-delivery-writes.js';

/** Runs, journals and approvals in the embedded file; every step is one group-commit write. */
export class SqliteWorkflowStore implements WorkflowStore {
  private readonly s;
  private readonly deliveries: SqliteWebhookDeliveryWrites;

  constructor(
    private readonly database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    const db = database;
    this.s = {
      insertRun: db.prepare(`INSERT INTO workflow_runs (${runColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, NULL, ?, ?, ?, ?, ?, NULL)`),
      byIdempotency: db.prepare(`SELECT ${runColumns} FROM workflow_runs WHERE tenant = ? AND idempotency_key = ?`),
      get: db.prepare(`SELECT ${runColumns} FROM workflow_runs WHERE id = ?`),
      // Inputs: entry columns. Output: one row when the (run_id, seq) slot was free.
      insertEntry: db.prepare(`INSERT INTO workflow_journal (${journalColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      // Moves the run only from the seq the step was computed on (fencing against a stale worker).
      moveRun: db.prepare(
        `UPDATE workflow_runs SET state = ?, context = ?, status = ?, budget_spent_nanos = ?, error = ?, seq = ?, updated_at = ?, finished_at = ?
         WHERE id = ? AND seq = ?`,
      ),
      insertApproval: db.prepare(`INSERT INTO workflow_approvals (${approvalColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, NULL, NULL, ?, ?, NULL, ?, ?, ?, NULL)`),
      escalate: db.prepare(`UPDATE workflow_approvals SET assignee = ?, escalated_at = ? WHERE id = ? AND status = 'pending' AND escalated_at IS NULL`),
      insertEvent: db.prepare(`INSERT INTO workflow_approval_events (tenant, approval_id, type, data, at) VALUES (?, ?, ?, ?, ?)`),
      events: db.prepare(`SELECT ${approvalEventColumns} FROM workflow_approval_events WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?`),
      dueEscalations: db.prepare(
        `SELECT ${approvalColumns} FROM workflow_approvals WHERE status = 'pending' AND escalated_at IS NULL AND escalate_at IS NOT NULL AND escalate_at <= ? ORDER BY escalate_at LIMIT ?`,
      ),
      deleteEvents: db.prepare(`DELETE FROM workflow_approval_events WHERE approval_id IN (SELECT id FROM workflow_approvals WHERE run_id = ?)`),
      decide: db.prepare(`UPDATE workflow_approvals SET status = ?, decided_by = ?, reason = ?, edited_args = ?, decided_at = ? WHERE id = ? AND status = 'pending'`),
      journal: db.prepare(`SELECT ${journalColumns} FROM workflow_journal WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      entry: db.prepare(`SELECT ${journalColumns} FROM workflow_journal WHERE run_id = ? AND seq = ?`),
      approval: db.prepare(`SELECT ${approvalColumns} FROM workflow_approvals WHERE id = ?`),
      expired: db.prepare(`SELECT ${approvalColumns} FROM workflow_approvals WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?`),
      stalled: db.prepare(`SELECT ${runColumns} FROM workflow_runs WHERE status IN ('queued', 'running') AND updated_at < ? ORDER BY updated_at LIMIT ?`),
      finishedBefore: db.prepare(`SELECT id FROM workflow_runs WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT 5000`).pluck(),
      deleteRun: db.prepare(`DELETE FROM workflow_runs WHERE id = ?`),
      deleteJournal: db.prepare(`DELETE FROM workflow_journal WHERE run_id = ?`),
      deleteApprovals: db.prepare(`DELETE FROM workflow_approvals WHERE run_id = ?`),
    };
    this.deliveries = new SqliteWebhookDeliveryWrites(database);
  }

  createRun(run: NewWorkflowRun): Promise<{ run: WorkflowRun; created: boolean }> {
    return this.writes.run(() => {
      if (run.idempotencyKey !== null) {
        const existing = this.s.byIdempotency.get(run.tenant, run.idempotencyKey) as RunRow | undefined;
        if (existing) {
          if (existing.request_hash !== run.requestHash) throw idempotencyKeyReused(run.idempotencyKey);
          return { run: toRun(existing), created: false };
        }
      }
      this.s.insertRun.run(
        run.id,
        run.tenant,
        run.keyId,
        run.workflow,
        run.version,
        run.state,
        JSON.stringify(run.context),
        run.webhookUrl,
        run.idempotencyKey,
        run.requestHash,
        run.createdAt,
        run.createdAt,
      );
      return { run: toRun(this.s.get.get(run.id) as RunRow), created: true };
    });
  }

  async getRun(id: string, tenant?: string): Promise<WorkflowRun | undefined> {
    const row = this.s.get.get(id) as RunRow | undefined;
    return row && (tenant === undefined || row.tenant === tenant) ? toRun(row) : undefined;
  }

  async listRuns(tenant: string | undefined, filter: RunListFilter): Promise<Page<WorkflowRun>> {
    const where = tenant === undefined ? ['1 = 1'] : ['tenant = ?'];
    const values: unknown[] = tenant === undefined ? [] : [tenant];
    if (filter.status) {
      where.push('status = ?');
      values.push(filter.status);
    }
    if (filter.workflow) {
      where.push('workflow = ?');
      values.push(filter.workflow);
    }
    const after = decodeCursor(filter.cursor);
    if (after) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      values.push(after.at, after.at, after.id);
    }
    const rows = this.database
      .prepare(`SELECT ${runColumns} FROM workflow_runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...values, filter.limit + 1) as RunRow[];
    return page(rows.map(toRun), filter.limit, (run) => encodeCursor(run.createdAt, run.id));
  }

  async journal(runId: string, afterSeq: number, limit = 10_000): Promise<JournalEntry[]> {
    return (this.s.journal.all(runId, afterSeq, limit) as JournalRow[]).map(toEntry);
  }

  async entry(runId: string, seq: number): Promise<JournalEntry | undefined> {
    const row = this.s.entry.get(runId, seq) as JournalRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  /** One step's rows; call inside a group-commit write. */
  private write(step: AppendStep): 'appended' | 'conflict' {
    const { entry, run } = step;
    // A refused step must leave nothing behind: it throws, and the group commit rolls its savepoint back.
    const inserted = this.s.insertEntry.run(entry.runId, entry.seq, entry.kind, entry.state, json(entry.input), json(entry.output), entry.actor, entry.at);
    if (inserted.changes === 0) return 'conflict';
    const finishedAt = finishedRunStatuses.has(run.status) ? entry.at : null;
    const moved = this.s.moveRun.run(
      run.state,
      JSON.stringify(run.context),
      run.status,
      toNanos(run.budgetSpentUsd),
      json(run.error),
      entry.seq,
      entry.at,
      finishedAt,
      entry.runId,
      entry.seq - 1,
    );
    if (moved.changes === 0) throw new StepRefused();
    if (step.decision) {
      const decision = step.decision;
      const decided = this.s.decide.run(decision.status, decision.decidedBy, decision.reason, json(decision.editedArgs), entry.at, decision.id);
      if (decided.changes === 0) throw new StepRefused();
    }
    if (step.approval) {
      const approval = step.approval;
      this.s.insertApproval.run(
        approval.id,
        approval.runId,
        approval.tenant,
        approval.workflow,
        approval.seq,
        approval.state,
        approval.tool,
        json(approval.args),
        approval.createdAt,
        approval.expiresAt,
        approval.assignee,
        approval.escalateAt,
        approval.escalateTo,
      );
    }
    if (step.escalation) {
      const escalated = this.s.escalate.run(step.escalation.to, entry.at, step.escalation.id);
      if (escalated.changes === 0) throw new StepRefused();
    }
    if (step.approvalEvent) {
      const event = step.approvalEvent;
      this.s.insertEvent.run(event.tenant, event.approvalId, event.type, JSON.stringify(event.data), event.at);
    }
    if (step.webhooks) this.deliveries.insert({ id: entry.runId, tenant: step.webhooks.tenant }, step.webhooks.entries, entry.at);
    return 'appended';
  }

  appendStep(step: AppendStep): Promise<'appended' | 'conflict'> {
    return this.writes
      .run(() => {
        if (this.write(step) === 'conflict') return 'conflict';
        // Steps computed from this one (`followedBy`) commit with it, or not at all.
        for (let next = step.followedBy; next; next = next.followedBy) if (this.write(next) === 'conflict') throw new StepRefused();
        return 'appended' as const;
      })
      .catch((error: unknown) => {
        if (error instanceof StepRefused) return 'conflict' as const;
        throw error;
      });
  }

  async getApproval(id: string, tenant?: string): Promise<Approval | undefined> {
    const row = this.s.approval.get(id) as ApprovalRow | undefined;
    return row && (tenant === undefined || row.tenant === tenant) ? toApproval(row) : undefined;
  }

  async listApprovals(tenant: string, filter: ApprovalListFilter): Promise<Page<Approval>> {
    const where = ['tenant = ?'];
    const values: unknown[] = [tenant];
    for (const [column, value] of [
      ['status', filter.status],
      ['workflow', filter.workflow],
      ['run_id', filter.runId],
      ['assignee', filter.assignee],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      values.push(value);
    }
    const after = decodeCursor(filter.cursor);
    if (after) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      values.push(after.at, after.at, after.id);
    }
    const rows = this.database
      .prepare(`SELECT ${approvalColumns} FROM workflow_approvals WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...values, filter.limit + 1) as ApprovalRow[];
    return page(rows.map(toApproval), filter.limit, (approval) => encodeCursor(approval.createdAt, approval.id));
  }

  async expiredApprovals(now: number, limit: number): Promise<Approval[]> {
    return (this.s.expired.all(now, limit) as ApprovalRow[]).map(toApproval);
  }

  async dueEscalations(now: number, limit: number): Promise<Approval[]> {
    return (this.s.dueEscalations.all(now, limit) as ApprovalRow[]).map(toApproval);
  }

  async approvalEvents(tenant: string, afterSeq: number, limit: number): Promise<ApprovalEvent[]> {
    return (this.s.events.all(tenant, afterSeq, limit) as ApprovalEventRow[]).map(toApprovalEvent);
  }

  async stalledRuns(before: number, limit: number): Promise<WorkflowRun[]> {
    return (this.s.stalled.all(before, limit) as RunRow[]).map(toRun);
  }

  deleteFinishedBefore(before: number): Promise<number> {
    return this.writes.run(() => {
      const ids = this.s.finishedBefore.all(before) as string[];
      for (const id of ids) {
        this.s.deleteJournal.run(id);
        this.s.deleteEvents.run(id);
        this.s.deleteApprovals.run(id);
        this.deliveries.deleteEndedOf(id);
        this.s.deleteRun.run(id);
      }
      return ids.length;
    });
  }
}

/** Thrown inside a step's write to roll it back whole. */
class StepRefused extends Error {}
