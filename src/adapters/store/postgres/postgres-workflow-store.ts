import type pg from 'pg';
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
import { storeUnavailable } from './store-unavailable.js';
import { webhookDeliveryWrites } from './webhook-delivery-writes.js';
import { withTransaction } from './with-transaction.js';

/** A named statement: pg prepares it once per pooled connection. */
const statement = (name: string, text: string) => (values: unknown[]) => ({ name: `bw-wf-${name}`, text, values });

const sql = {
  // Inputs: the new run. Output: the row, or none when the tenant's idempotency key is taken.
  insertRun: statement(
    'insert-run',
    `INSERT INTO workflow_runs (${runColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, 0, NULL, $8, $9, $10, $11, $11, NULL)
     ON CONFLICT DO NOTHING RETURNING ${runColumns}`,
  ),
  byIdempotency: statement('by-idempotency', `SELECT ${runColumns} FROM workflow_runs WHERE tenant = $1 AND idempotency_key = $2`),
  get: statement('get', `SELECT ${runColumns} FROM workflow_runs WHERE id = $1`),
  // Inputs: the entry. Output: one row when the (run_id, seq) slot was free — the fencing.
  insertEntry: statement('insert-entry', `INSERT INTO workflow_journal (${journalColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`),
  moveRun: statement(
    'move-run',
    `UPDATE workflow_runs SET state = $1, context = $2, status = $3, budget_spent_nanos = $4, error = $5, seq = $6, updated_at = $7, finished_at = $8
     WHERE id = $9 AND seq = $10`,
  ),
  insertApproval: statement(
    'insert-approval',
    `INSERT INTO workflow_approvals (${approvalColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', NULL, NULL, NULL, $9, $10, NULL, $11, $12, $13, NULL)`,
  ),
  escalate: statement('escalate', `UPDATE workflow_approvals SET assignee = $1, escalated_at = $2 WHERE id = $3 AND status = 'pending' AND escalated_at IS NULL`),
  // Inputs: the tenant. One writer of a tenant's approval events at a time, so their seqs commit in order.
  lockTenantEvents: statement('lock-tenant-events', `SELECT pg_advisory_xact_lock(hashtext('breakwater-approval-events:' || $1))`),
  insertEvent: statement('insert-event', `INSERT INTO workflow_approval_events (tenant, approval_id, type, data, at) VALUES ($1, $2, $3, $4, $5)`),
  events: statement('events', `SELECT ${approvalEventColumns} FROM workflow_approval_events WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3`),
  dueEscalations: statement(
    'due-escalations',
    `SELECT ${approvalColumns} FROM workflow_approvals WHERE status = 'pending' AND escalated_at IS NULL AND escalate_at IS NOT NULL AND escalate_at <= $1 ORDER BY escalate_at LIMIT $2`,
  ),
  decide: statement('decide', `UPDATE workflow_approvals SET status = $1, decided_by = $2, reason = $3, edited_args = $4, decided_at = $5 WHERE id = $6 AND status = 'pending'`),
  journal: statement('journal', `SELECT ${journalColumns} FROM workflow_journal WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`),
  entry: statement('entry', `SELECT ${journalColumns} FROM workflow_journal WHERE run_id = $1 AND seq = $2`),
  approval: statement('approval', `SELECT ${approvalColumns} FROM workflow_approvals WHERE id = $1`),
  expired: statement(
    'expired',
    `SELECT ${approvalColumns} FROM workflow_approvals WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
  ),
  stalled: statement('stalled', `SELECT ${runColumns} FROM workflow_runs WHERE status IN ('queued', 'running') AND updated_at < $1 ORDER BY updated_at LIMIT $2`),
  deleteFinished: statement(
    'delete-finished',
    `WITH gone AS (DELETE FROM workflow_runs WHERE id IN (SELECT id FROM workflow_runs WHERE finished_at IS NOT NULL AND finished_at < $1 LIMIT 5000) RETURNING id),
          journal AS (DELETE FROM workflow_journal WHERE run_id IN (SELECT id FROM gone)),
          approvals AS (DELETE FROM workflow_approvals WHERE run_id IN (SELECT id FROM gone) RETURNING id),
          events AS (DELETE FROM workflow_approval_events WHERE approval_id IN (SELECT id FROM approvals)),
          deliveries AS (DELETE FROM webhook_deliveries WHERE job_id IN (SELECT id FROM gone) AND status != 'pending')
     SELECT count(*) AS n FROM gone`,
  ),
};

/** Thrown inside a step's transaction to roll it back whole. */
class StepRefused extends Error {}

/** Runs, journals and approvals in PostgreSQL, shared by every node; a step is one transaction. */
export class PostgresWorkflowStore implements WorkflowStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
  ) {}

  async createRun(run: NewWorkflowRun): Promise<{ run: WorkflowRun; created: boolean }> {
    const values = [
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
    ];
    const inserted = (await this.query<RunRow>(this.pool, sql.insertRun(values))).rows[0];
    if (inserted) return { run: toRun(inserted), created: true };
    const existing = (await this.query<RunRow>(this.pool, sql.byIdempotency([run.tenant, run.idempotencyKey]))).rows[0];
    if (!existing) throw new Error(`workflow run ${run.id} was neither inserted nor found by its idempotency key`);
    if (existing.request_hash !== run.requestHash) throw idempotencyKeyReused(run.idempotencyKey!);
    return { run: toRun(existing), created: false };
  }

  async getRun(id: string, tenant?: string): Promise<WorkflowRun | undefined> {
    const row = (await this.query<RunRow>(this.reads, sql.get([id]))).rows[0];
    return row && (tenant === undefined || row.tenant === tenant) ? toRun(row) : undefined;
  }

  async listRuns(tenant: string | undefined, filter: RunListFilter): Promise<Page<WorkflowRun>> {
    const { where, values } = filters(tenant, [
      ['status', filter.status],
      ['workflow', filter.workflow],
    ]);
    const after = decodeCursor(filter.cursor);
    if (after) {
      values.push(after.at, after.id);
      where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(filter.limit + 1);
    const rows = await this.query<RunRow>(this.reads, {
      text: `SELECT ${runColumns} FROM workflow_runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    });
    return page(rows.rows.map(toRun), filter.limit, (run) => encodeCursor(run.createdAt, run.id));
  }

  async journal(runId: string, afterSeq: number, limit = 10_000): Promise<JournalEntry[]> {
    return (await this.query<JournalRow>(this.reads, sql.journal([runId, afterSeq, limit]))).rows.map(toEntry);
  }

  async entry(runId: string, seq: number): Promise<JournalEntry | undefined> {
    const row = (await this.query<JournalRow>(this.pool, sql.entry([runId, seq]))).rows[0];
    return row ? toEntry(row) : undefined;
  }

  async appendStep(step: AppendStep): Promise<'appended' | 'conflict'> {
    try {
      return await withTransaction(this.pool, async (client) => {
        // Steps computed from this one (`followedBy`) commit with it, or not at all.
        for (let next: AppendStep | undefined = step; next; next = next.followedBy) await this.write(client, next);
        return 'appended' as const;
      });
    } catch (error) {
      if (error instanceof StepRefused) return 'conflict';
      throw error;
    }
  }

  /** One step's rows, inside the step's transaction; throws StepRefused when the fencing refuses it. */
  private async write(client: pg.PoolClient, step: AppendStep): Promise<void> {
    const { entry, run } = step;
    const inserted = await client.query(sql.insertEntry([entry.runId, entry.seq, entry.kind, entry.state, json(entry.input), json(entry.output), entry.actor, entry.at]));
    if (inserted.rowCount === 0) throw new StepRefused();
    const finishedAt = finishedRunStatuses.has(run.status) ? entry.at : null;
    const moved = await client.query(
      sql.moveRun([run.state, JSON.stringify(run.context), run.status, toNanos(run.budgetSpentUsd), json(run.error), entry.seq, entry.at, finishedAt, entry.runId, entry.seq - 1]),
    );
    if (moved.rowCount === 0) throw new StepRefused();
    if (step.decision) {
      const decision = step.decision;
      const decided = await client.query(sql.decide([decision.status, decision.decidedBy, decision.reason, json(decision.editedArgs), entry.at, decision.id]));
      if (decided.rowCount === 0) throw new StepRefused();
    }
    if (step.approval) {
      const approval = step.approval;
      await client.query(
        sql.insertApproval([
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
        ]),
      );
    }
    if (step.escalation) {
      const escalated = await client.query(sql.escalate([step.escalation.to, entry.at, step.escalation.id]));
      if (escalated.rowCount === 0) throw new StepRefused();
    }
    if (step.approvalEvent) {
      const event = step.approvalEvent;
      await client.query(sql.lockTenantEvents([event.tenant]));
      await client.query(sql.insertEvent([event.tenant, event.approvalId, event.type, JSON.stringify(event.data), event.at]));
    }
    if (step.webhooks) await webhookDeliveryWrites.insert(client, { id: entry.runId, tenant: step.webhooks.tenant }, step.webhooks.entries, entry.at);
  }

  async getApproval(id: string, tenant?: string): Promise<Approval | undefined> {
    const row = (await this.query<ApprovalRow>(this.reads, sql.approval([id]))).rows[0];
    return row && (tenant === undefined || row.tenant === tenant) ? toApproval(row) : undefined;
  }

  async listApprovals(tenant: string, filter: ApprovalListFilter): Promise<Page<Approval>> {
    const { where, values } = filters(tenant, [
      ['status', filter.status],
      ['workflow', filter.workflow],
      ['run_id', filter.runId],
      ['assignee', filter.assignee],
    ]);
    const after = decodeCursor(filter.cursor);
    if (after) {
      values.push(after.at, after.id);
      where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(filter.limit + 1);
    const rows = await this.query<ApprovalRow>(this.reads, {
      text: `SELECT ${approvalColumns} FROM workflow_approvals WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    });
    return page(rows.rows.map(toApproval), filter.limit, (approval) => encodeCursor(approval.createdAt, approval.id));
  }

  async expiredApprovals(now: number, limit: number): Promise<Approval[]> {
    return (await this.query<ApprovalRow>(this.pool, sql.expired([now, limit]))).rows.map(toApproval);
  }

  async dueEscalations(now: number, limit: number): Promise<Approval[]> {
    return (await this.query<ApprovalRow>(this.pool, sql.dueEscalations([now, limit]))).rows.map(toApproval);
  }

  async approvalEvents(tenant: string, afterSeq: number, limit: number): Promise<ApprovalEvent[]> {
    return (await this.query<ApprovalEventRow>(this.pool, sql.events([tenant, afterSeq, limit]))).rows.map(toApprovalEvent);
  }

  async stalledRuns(before: number, limit: number): Promise<WorkflowRun[]> {
    return (await this.query<RunRow>(this.pool, sql.stalled([before, limit]))).rows.map(toRun);
  }

  async deleteFinishedBefore(before: number): Promise<number> {
    return (await this.query<{ n: number }>(this.pool, sql.deleteFinished([before]))).rows[0]?.n ?? 0;
  }

  private async query<R extends pg.QueryResultRow>(pool: pg.Pool, query: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    try {
      return await pool.query<R>(query);
    } catch (error) {
      throw storeUnavailable(error);
    }
  }
}

/** `tenant` undefined: every tenant (the admin's view). */
function filters(tenant: string | undefined, optional: ReadonlyArray<readonly [string, string | undefined]>): { where: string[]; values: unknown[] } {
  const where = tenant === undefined ? ['true'] : ['tenant = $1'];
  const values: unknown[] = tenant === undefined ? [] : [tenant];
  for (const [column, value] of optional) {
    if (value === undefined) continue;
    values.push(value);
    where.push(`${column} = $${values.length}`);
  }
  return { where, values };
}
