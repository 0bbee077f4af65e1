import { followStore } from './follow-store.js';
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { encodeJobInput } from '../jobs/job-input.js';
import type { JobEventBus } from '../ports/job-events.js';
import { type JobStore, terminalStatuses } from '../ports/job-store.js';
import type { Page } from '../ports/page.js';
import type { VirtualKey } from '../ports/store.js';
import type { WebhookTransport } from '../ports/webhook-transport.js';
import {
  type AppendStep,
  type Approval,
  type ApprovalEvent,
  type ApprovalListFilter,
  finishedRunStatuses,
  type JournalEntry,
  type RunListFilter,
  type WorkflowRun,
  type WorkflowStore,
} from '../ports/workflow-store.js';
import { withNotices } from './workflow-notices.js';
import { replayRun, type Replay } from './workflow-replay.js';
import { toWireApproval } from './workflow-view.js';
import type { WorkflowRegistry } from './workflow-registry.js';

export interface WorkflowServiceOptions {
  store: WorkflowStore;
  jobs: JobStore;
  bus: JobEventBus;
  registry: WorkflowRegistry;
  webhooks: WebhookTransport | undefined;
  /** Claims an advance job may take (a worker killed mid-run is one). */
  advanceMaxAttempts: number;
  /** Called after an advance job was written (the outbox relay publishes it at once). */
  onJobCreated?: () => void;
  now?: () => number;
}

export interface StartRun {
  input: unknown;
  version?: number | undefined;
  webhookUrl?: string | undefined;
}

export interface Decision {
  decision: 'approve' | 'reject';
  by: string;
  reason?: string | undefined;
  /** Approve with these arguments instead (validated against the tool's schema). */
  args?: unknown;
}

/** Queue priority of the advance job after an approval decision (the queue's high band; new runs are 0). */
const resumePriority = 10;

/** How often a follower reads the store when the bus has said nothing. */
const storePollMs = 1_000;

/**
 * The API side of workflows: starts runs (one store write and one advance job), reads them,
 * cancels them, records approval decisions and follows journals. Never runs a step itself:
 * every step is taken by a worker's advance job. Everything is scoped to the key's tenant.
 */
export class WorkflowService {
  private readonly now: () => number;

  constructor(private readonly options: WorkflowServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get registry(): WorkflowRegistry {
    return this.options.registry;
  }

  async start(key: VirtualKey, name: string, body: StartRun, idempotencyKey: string | undefined): Promise<{ run: WorkflowRun; created: boolean }> {
    const workflow = this.options.registry.get(name, body.version);
    if (!workflow) {
      throw new BreakwaterError(
        'WORKFLOW_NOT_FOUND',
        `No workflow "${name}"${body.version !== undefined ? ` version ${body.version}` : ''}; registered: ${this.options.registry.names().join(', ') || 'none (list files under workflows.files)'}.`,
        { param: 'name' },
      );
    }
    if (workflow.input) {
      const valid = workflow.input.validate(body.input);
      if (!valid.ok) {
        const issue = valid.issues[0]!;
        throw new BreakwaterError('WORKFLOW_INPUT_INVALID', `input${issue.path}: ${issue.message}`, { param: `input${issue.path.replaceAll('/', '.')}` });
      }
    }
    if (body.webhookUrl !== undefined) {
      if (!this.options.webhooks)
        throw new BreakwaterError('WEBHOOK_TARGET_FORBIDDEN', 'Webhooks are not configured on this server: set webhooks.secrets.', { param: 'webhook.url' });
      this.options.webhooks.checkTarget(body.webhookUrl);
    }
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
      throw new BreakwaterError('INVALID_REQUEST', 'The Idempotency-Key header must be 1 to 255 characters.', { param: 'Idempotency-Key' });
    }
    const definition = workflow.definition;
    const context = definition.context ? definition.context(body.input) : { input: body.input ?? null };
    const now = this.now();
    const outcome = await this.options.store.createRun({
      id: `run_${now.toString(36)}${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      tenant: key.tenant,
      keyId: key.id,
      workflow: definition.name,
      version: definition.version,
      state: definition.initial,
      context,
      webhookUrl: body.webhookUrl ?? null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash:
        idempotencyKey === undefined
          ? ''
          : createHash('sha256')
              .update(canonicalJson({ name, ...body }))
              .digest('hex'),
      createdAt: now,
    });
    // Also for a replayed start: a crash between the run and its job is mended by sending the request again.
    if (!finishedRunStatuses.has(outcome.run.status) && outcome.run.status !== 'waiting_approval') await this.ensureAdvance(outcome.run);
    return outcome;
  }

  /** `tenant` undefined: the run of whichever tenant owns it (the admin's view; likewise below); otherwise only that tenant's. */
  async get(tenant: string | undefined, id: string): Promise<WorkflowRun> {
    const run = await this.options.store.getRun(id, tenant);
    if (!run) throw runNotFound(id);
    return run;
  }

  list(tenant: string | undefined, filter: RunListFilter): Promise<Page<WorkflowRun>> {
    return this.options.store.listRuns(tenant, filter);
  }

  async journal(tenant: string | undefined, id: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    await this.get(tenant, id);
    return this.options.store.journal(id, afterSeq, limit);
  }

  /** Cancels a run that has not ended; a pending approval is cancelled with it. A worker mid-step is fenced out. */
  async cancel(tenant: string | undefined, id: string, by: string): Promise<WorkflowRun> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const run = await this.get(tenant, id);
      if (finishedRunStatuses.has(run.status)) throw new BreakwaterError('WORKFLOW_RUN_NOT_CANCELLABLE', `Run ${id} already ended (${run.status}).`);
      const pending = run.status === 'waiting_approval' ? (await this.options.store.listApprovals(run.tenant, { runId: id, status: 'pending', limit: 1 })).data[0] : undefined;
      const at = this.now();
      const step = withNotices(run, {
        entry: { runId: id, seq: run.seq + 1, kind: 'transition' as const, state: run.state, input: { from: run.state, to: 'cancelled' }, output: null, actor: by, at },
        run: { state: run.state, context: run.context, status: 'cancelled' as const, budgetSpentUsd: run.budgetSpentUsd, error: null },
        ...(pending ? { decision: { id: pending.id, status: 'cancelled' as const, decidedBy: by, reason: 'run cancelled', editedArgs: null } } : {}),
      });
      if (pending) {
        const cancelled: Approval = { ...pending, status: 'cancelled', decidedBy: by, reason: 'run cancelled', decidedAt: at };
        step.approvalEvent = { tenant: run.tenant, approvalId: pending.id, type: 'approval-decision', data: toWireApproval(cancelled), at };
      }
      if ((await this.options.store.appendStep(step)) === 'appended') {
        this.announce(step);
        return { ...run, status: 'cancelled', seq: step.entry.seq, updatedAt: at, finishedAt: at };
      }
      // A worker wrote a step in between: read the run again.
    }
    throw new BreakwaterError('SERVER_OVERLOADED', `Run ${id} kept moving while it was being cancelled; retry.`, { retryAfterSeconds: 1 });
  }

  async approvals(tenant: string, filter: ApprovalListFilter): Promise<Page<Approval>> {
    return this.options.store.listApprovals(tenant, filter);
  }

  async approval(tenant: string, id: string): Promise<Approval> {
    const approval = await this.options.store.getApproval(id, tenant);
    if (!approval) throw new BreakwaterError('APPROVAL_NOT_FOUND', `No approval ${id} for this key's tenant.`, { param: 'id' });
    return approval;
  }

  /**
   * Records a decision and queues the run's next advance. The same decision sent twice changes
   * nothing the second time (the approval is no longer pending, and the advance job's
   * idempotency key comes from the decision's journal seq), so a double click never advances twice.
   */
  async decide(tenant: string, id: string, decision: Decision): Promise<Approval> {
    const approval = await this.approval(tenant, id);
    const status = decision.decision === 'approve' ? 'approved' : 'rejected';
    return this.settle(approval, status, decision.by, decision.reason ?? null, decision.args);
  }

  /**
   * Pending approvals past their escalation time are handed to their escalation target: an
   * `approval-escalation` journal entry (actor `system`), the approval's assignee changed, an
   * approvals event and the run's webhook. Each is written once (a second sweeper's step conflicts).
   */
  async escalateApprovals(limit = 100): Promise<number> {
    const due = await this.options.store.dueEscalations(this.now(), limit);
    let escalated = 0;
    for (const approval of due) {
      const run = await this.options.store.getRun(approval.runId);
      if (run?.status !== 'waiting_approval' || approval.escalateTo === null) continue;
      const at = this.now();
      const moved: Approval = { ...approval, assignee: approval.escalateTo, escalatedAt: at };
      const step = withNotices(
        run,
        {
          entry: {
            runId: run.id,
            seq: run.seq + 1,
            kind: 'approval-escalation',
            state: run.state,
            input: { approval: approval.id, from: approval.assignee, waited_ms: at - approval.createdAt },
            output: { to: approval.escalateTo },
            actor: 'system',
            at,
          },
          run: { state: run.state, context: run.context, status: 'waiting_approval', budgetSpentUsd: run.budgetSpentUsd, error: null },
          escalation: { id: approval.id, to: approval.escalateTo },
        },
        moved,
      );
      if ((await this.options.store.appendStep(step)) === 'appended') {
        escalated++;
        this.announce(step);
      }
    }
    return escalated;
  }

  /** Pending approvals past their expiry become `expired` (a rejection by `system`). */
  async expireApprovals(limit = 100): Promise<number> {
    const expired = await this.options.store.expiredApprovals(this.now(), limit);
    for (const approval of expired) await this.settle(approval, 'expired', 'system', 'the approval expired', undefined).catch(() => undefined);
    return expired.length;
  }

  /**
   * Runs queued or running whose row has not moved for `stalledMs` get their advance job
   * again (a crash between a decision and its job); a run whose advance job failed for good
   * (its workers kept dying) fails with that job's error.
   */
  async reconcile(stalledMs: number, limit = 100): Promise<number> {
    const stalled = await this.options.store.stalledRuns(this.now() - stalledMs, limit);
    let queued = 0;
    for (const run of stalled) {
      if (await this.advancing(run)) continue;
      await this.ensureAdvance(run);
      queued++;
    }
    return queued;
  }

  /**
   * Whether the job that started the run's current stretch (at its start or its last approval
   * decision) is still queued or running. Its queue recovers it when its worker dies; a second
   * job beside it would let two workers advance the run at once (a run only waits in a long
   * queue, it is not lost).
   */
  private async advancing(run: WorkflowRun): Promise<boolean> {
    const journal = await this.options.store.journal(run.id, 0);
    let stretch = 0;
    for (const entry of journal) if (entry.kind === 'approval-decision') stretch = entry.seq;
    for (const seq of new Set([stretch, run.seq])) {
      const job = await this.options.jobs.findByIdempotencyKey(run.tenant, advanceKey(run.id, seq));
      if (job && !terminalStatuses.has(job.status)) return true;
    }
    return false;
  }

  /**
   * The run's journal after `afterSeq`, then live entries until the run ends or `signal` aborts.
   * The bus only says that something was written; entries are always read from the store.
   */
  async *follow(tenant: string | undefined, id: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<JournalEntry> {
    await this.get(tenant, id);
    yield* followStore({
      afterSeq,
      subscribe: (onNews) => this.options.bus.subscribe(id, onNews),
      read: (after, limit) => this.options.store.journal(id, after, limit),
      ended: async (last) => {
        const run = await this.options.store.getRun(id);
        return !run || (finishedRunStatuses.has(run.status) && run.seq <= last);
      },
      signal,
      pollMs: storePollMs,
    });
  }

  /** Replays a run's journal against its definition, without calling any tool or model. */
  async replay(tenant: string | undefined, id: string): Promise<Replay> {
    const run = await this.get(tenant, id);
    const workflow = this.options.registry.get(run.workflow, run.version);
    if (!workflow) throw new BreakwaterError('WORKFLOW_NOT_FOUND', `This server does not have workflow ${run.workflow}@${run.version}, which run ${id} used.`);
    return replayRun(workflow, run, await this.options.store.journal(id, 0));
  }

  /**
   * Publishes news of a written step to the SSE followers of the run and of its tenant's
   * approvals (on every node, through the event bus). Webhooks are not sent from here: they
   * were written to the outbox with the step (workflow-notices.ts).
   */
  announce(step: AppendStep): void {
    const entry = step.entry;
    this.options.bus.publish({ jobId: entry.runId, seq: entry.seq, type: 'job-progress', data: {}, at: entry.at });
    if (step.approvalEvent) this.options.bus.publish({ jobId: approvalsChannel(step.approvalEvent.tenant), seq: 0, type: 'job-progress', data: {}, at: entry.at });
  }

  /**
   * The tenant's approval events after `afterSeq`, then live ones until `signal` aborts. The
   * bus only says that something was written; events are always read from the store, so a
   * follower that reconnects with Last-Event-ID misses none.
   */
  async *followApprovals(tenant: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<ApprovalEvent> {
    yield* followStore({
      afterSeq,
      subscribe: (onNews) => this.options.bus.subscribe(approvalsChannel(tenant), onNews),
      read: (after, limit) => this.options.store.approvalEvents(tenant, after, limit),
      signal,
      pollMs: storePollMs,
    });
  }

  private async settle(approval: Approval, status: 'approved' | 'rejected' | 'expired', by: string, reason: string | null, editedArgs: unknown): Promise<Approval> {
    if (approval.status !== 'pending') {
      if (approval.status === status && (editedArgs === undefined || canonicalJson(editedArgs) === canonicalJson(approval.editedArgs))) {
        const run = await this.options.store.getRun(approval.runId);
        if (run) await this.ensureAdvance(run);
        return approval;
      }
      throw new BreakwaterError('APPROVAL_ALREADY_DECIDED', `Approval ${approval.id} was already ${approval.status}${approval.decidedBy ? ` by ${approval.decidedBy}` : ''}.`);
    }
    const run = await this.options.store.getRun(approval.runId);
    if (!run) throw new BreakwaterError('APPROVAL_NOT_FOUND', `Approval ${approval.id} belongs to a run that no longer exists.`);
    if (editedArgs !== undefined) {
      const tool = this.options.registry.get(run.workflow, run.version)?.tools.get(approval.tool);
      const valid = tool?.args.validate(editedArgs);
      if (valid && !valid.ok) {
        throw new BreakwaterError(
          'INVALID_REQUEST',
          `args do not match the schema of tool ${approval.tool}: ${valid.issues.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}`,
          {
            param: 'args',
          },
        );
      }
    }
    const at = this.now();
    const args = editedArgs !== undefined ? editedArgs : approval.args;
    const decided: Approval = { ...approval, status, decidedBy: by, reason, editedArgs: editedArgs ?? null, decidedAt: at };
    const step = withNotices(
      run,
      {
        entry: {
          runId: run.id,
          seq: run.seq + 1,
          kind: 'approval-decision' as const,
          state: run.state,
          input: { approval: approval.id, reason },
          output: { status, tool: approval.tool, args, edited: editedArgs !== undefined },
          actor: by,
          at,
        },
        run: { state: run.state, context: run.context, status: 'running' as const, budgetSpentUsd: run.budgetSpentUsd, error: null },
        decision: { id: approval.id, status, decidedBy: by, reason, editedArgs: editedArgs ?? null },
      },
      decided,
    );
    if ((await this.options.store.appendStep(step)) === 'conflict') {
      // Decided at the same moment by someone else (or the run was cancelled): answer with what is stored now.
      const now = (await this.options.store.getApproval(approval.id))!;
      if (now.status === 'pending') throw new BreakwaterError('SERVER_OVERLOADED', `Run ${run.id} moved while the decision was written; retry.`, { retryAfterSeconds: 1 });
      return this.settle(now, status, by, reason, editedArgs);
    }
    const moved: WorkflowRun = { ...run, status: 'running', seq: step.entry.seq, updatedAt: at };
    this.announce(step);
    // Someone just decided and waits for the run to go on: its job goes before runs still starting.
    await this.ensureAdvance(moved, resumePriority);
    return decided;
  }

  /** The advance job for the run's current seq: created once (its idempotency key is the run id and seq). */
  private async ensureAdvance(run: WorkflowRun, priority = 0): Promise<void> {
    const now = this.now();
    const id = `job_${now.toString(36)}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const maxAttempts = this.options.advanceMaxAttempts;
    const { job, created } = await this.options.jobs.createJob(
      {
        id,
        tenant: run.tenant,
        keyId: run.keyId,
        kind: 'workflow',
        pipeline: null,
        priority,
        source: run.workflow,
        webhookUrl: null,
        idempotencyKey: advanceKey(run.id, run.seq),
        requestHash: 'workflow-advance',
        maxAttempts,
        metadata: { run_id: run.id },
        createdAt: now,
        runAt: now,
        deadline: null,
      },
      await encodeJobInput({ kind: 'workflow', runId: run.id }),
      { id, tenant: run.tenant, maxAttempts, priority },
    );
    if (created) {
      this.options.onJobCreated?.();
      return;
    }
    if (job.status === 'failed') {
      // The advance job ran out of attempts (its workers kept dying): the run fails with its error.
      const error = { code: job.error?.code ?? 'JOB_ATTEMPTS_EXHAUSTED', message: job.error?.message ?? 'The run could not be advanced.' };
      const step = withNotices(run, {
        entry: { runId: run.id, seq: run.seq + 1, kind: 'error' as const, state: run.state, input: { job: job.id }, output: error, actor: 'system', at: now },
        run: { state: run.state, context: run.context, status: 'failed' as const, budgetSpentUsd: run.budgetSpentUsd, error },
      });
      if ((await this.options.store.appendStep(step)) === 'appended') this.announce(step);
    }
  }
}

/** The idempotency key of the advance job queued when the run stood at `seq`. */
function advanceKey(runId: string, seq: number): string {
  return `workflow:${runId}:${seq}`;
}

/** The bus channel of a tenant's approval events (the bus is keyed like job ids). */
function approvalsChannel(tenant: string): string {
  return `approvals:${tenant}`;
}

function runNotFound(id: string): BreakwaterError {
  return new BreakwaterError('WORKFLOW_RUN_NOT_FOUND', `No workflow run ${id} for this key's tenant.`, { param: 'id' });
}
