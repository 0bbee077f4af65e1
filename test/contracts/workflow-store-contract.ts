import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/core/ports/store.js';
import type { AppendStep, JournalEntry, NewWorkflowRun, RunPatch, WorkflowRun } from '../../src/core/ports/workflow-store.js';

const t0 = 1_700_000_000_000;

export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

function newRun(overrides: Partial<NewWorkflowRun> = {}): NewWorkflowRun {
  return {
    id: `run_${Math.random().toString(36).slice(2)}`,
    tenant: 'tenant-a',
    keyId: 'key-a',
    workflow: 'refund',
    version: 1,
    state: 'classify',
    context: { input: { ticket: 'T-1' } },
    webhookUrl: null,
    idempotencyKey: null,
    requestHash: 'hash-1',
    createdAt: t0,
    ...overrides,
  };
}

function step(run: WorkflowRun, seq: number, kind: JournalEntry['kind'], patch: Partial<RunPatch> = {}, extra: Partial<AppendStep> = {}): AppendStep {
  return {
    entry: { runId: run.id, seq, kind, state: run.state, input: { n: seq }, output: { ok: true }, actor: 'engine', at: t0 + seq },
    run: { state: run.state, context: run.context, status: 'running', budgetSpentUsd: 0, error: null, ...patch },
    ...extra,
  };
}

/** The workflows domain of the store (`store.workflows`), run against every adapter. */
export function workflowStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`workflow store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: Store;
    beforeEach(async () => {
      await opened?.close();
      opened = await open();
      store = opened.store;
    });
    after(async () => opened?.close());

    it('creates a run once per idempotency key, refuses the key with another body, scopes reads to the tenant', async () => {
      const first = await store.workflows.createRun(newRun({ idempotencyKey: 'start-1' }));
      assert.equal(first.created, true);
      assert.equal(first.run.status, 'queued');
      assert.equal(first.run.seq, 0);
      const again = await store.workflows.createRun(newRun({ idempotencyKey: 'start-1' }));
      assert.equal(again.created, false);
      assert.equal(again.run.id, first.run.id);
      await assert.rejects(store.workflows.createRun(newRun({ idempotencyKey: 'start-1', requestHash: 'other' })), { code: 'IDEMPOTENCY_KEY_REUSED' });
      const otherTenant = await store.workflows.createRun(newRun({ idempotencyKey: 'start-1', tenant: 'tenant-b' }));
      assert.equal(otherTenant.created, true);
      assert.equal(await store.workflows.getRun(first.run.id, 'tenant-b'), undefined);
      assert.deepEqual((await store.workflows.getRun(first.run.id, 'tenant-a'))?.context, { input: { ticket: 'T-1' } });
    });

    it('appends a step once per (run, seq): a second writer of the same seq gets a conflict and changes nothing', async () => {
      const { run } = await store.workflows.createRun(newRun());
      assert.equal(await store.workflows.appendStep(step(run, 1, 'transition', { state: 'lookup', context: { a: 1 } })), 'appended');
      const stale = step(run, 1, 'tool-call', { state: 'elsewhere', context: { b: 2 } });
      assert.equal(await store.workflows.appendStep(stale), 'conflict');
      // A step computed on an old seq cannot skip ahead either.
      assert.equal(await store.workflows.appendStep(step(run, 3, 'tool-call')), 'conflict');
      const moved = (await store.workflows.getRun(run.id))!;
      assert.equal(moved.seq, 1);
      assert.equal(moved.state, 'lookup');
      assert.deepEqual(moved.context, { a: 1 });
      const journal = await store.workflows.journal(run.id, 0);
      assert.deepEqual(
        journal.map((entry) => [entry.seq, entry.kind]),
        [[1, 'transition']],
      );
      assert.equal(await store.workflows.entry(run.id, 3), undefined);
    });

    it('racing writers of one seq: exactly one wins', async () => {
      const { run } = await store.workflows.createRun(newRun());
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => store.workflows.appendStep(step(run, 1, 'tool-call', { context: { writer: i } }))));
      assert.equal(outcomes.filter((outcome) => outcome === 'appended').length, 1);
      assert.equal((await store.workflows.journal(run.id, 0)).length, 1);
    });

    it('approvals: requested with a step, decided once, listed by status, workflow and run', async () => {
      const { run } = await store.workflows.createRun(newRun());
      const approval = {
        id: `apr_${run.id}`,
        runId: run.id,
        tenant: run.tenant,
        workflow: run.workflow,
        seq: 1,
        state: 'refund',
        tool: 'execute_refund',
        args: { amount: 250 },
        createdAt: t0 + 1,
        expiresAt: t0 + 1000,
        assignee: null,
        escalateAt: null,
        escalateTo: null,
      };
      assert.equal(await store.workflows.appendStep(step(run, 1, 'approval-request', { status: 'waiting_approval' }, { approval })), 'appended');
      const pending = await store.workflows.listApprovals('tenant-a', { status: 'pending', limit: 10 });
      assert.deepEqual(
        pending.data.map((item) => [item.id, item.tool, item.args]),
        [[approval.id, 'execute_refund', { amount: 250 }]],
      );
      assert.equal((await store.workflows.listApprovals('tenant-b', { limit: 10 })).data.length, 0);
      assert.equal((await store.workflows.listApprovals('tenant-a', { runId: 'other', limit: 10 })).data.length, 0);
      assert.deepEqual(
        (await store.workflows.expiredApprovals(t0 + 1000, 10)).map((item) => item.id),
        [approval.id],
      );
      assert.deepEqual(await store.workflows.expiredApprovals(t0 + 999, 10), []);

      const decision = { id: approval.id, status: 'approved' as const, decidedBy: 'ana', reason: 'ok', editedArgs: { amount: 200 } };
      assert.equal(await store.workflows.appendStep(step({ ...run, seq: 1 }, 2, 'approval-decision', {}, { decision })), 'appended');
      // The same decision again (a double click): the approval is no longer pending, nothing is written.
      assert.equal(await store.workflows.appendStep(step({ ...run, seq: 2 }, 3, 'approval-decision', {}, { decision })), 'conflict');
      assert.equal((await store.workflows.getRun(run.id))!.seq, 2);
      const decided = (await store.workflows.getApproval(approval.id, 'tenant-a'))!;
      assert.equal(decided.status, 'approved');
      assert.equal(decided.decidedBy, 'ana');
      assert.deepEqual(decided.editedArgs, { amount: 200 });
      assert.equal(await store.workflows.getApproval(approval.id, 'tenant-b'), undefined);
      assert.deepEqual(await store.workflows.expiredApprovals(t0 + 5000, 10), []);
    });

    it('escalates a pending approval once, with its events in order per tenant and its webhooks in the outbox, all or nothing with the step', async () => {
      const { run } = await store.workflows.createRun(newRun());
      const approval = {
        id: `apr_${run.id}`,
        runId: run.id,
        tenant: run.tenant,
        workflow: run.workflow,
        seq: 1,
        state: 'refund',
        tool: 'execute_refund',
        args: { amount: 900 },
        createdAt: t0 + 1,
        expiresAt: t0 + 10_000,
        assignee: 'support',
        escalateAt: t0 + 500,
        escalateTo: 'finance-leads',
      };
      const event = (type: 'approval-request' | 'approval-escalation' | 'approval-decision', tenant = 'tenant-a') => ({
        tenant,
        approvalId: approval.id,
        type,
        data: { type },
        at: t0,
      });
      const hook = (id: string) => ({ tenant: 'tenant-a', entries: [{ id, url: 'https://hooks.example/run', eventType: 'workflow.approval_requested', body: '{}' }] });
      assert.equal(
        await store.workflows.appendStep(
          step(run, 1, 'approval-request', { status: 'waiting_approval' }, { approval, approvalEvent: event('approval-request'), webhooks: hook(`whd_${run.id}_1`) }),
        ),
        'appended',
      );
      assert.deepEqual(await store.workflows.dueEscalations(t0 + 499, 10), []);
      assert.deepEqual(
        (await store.workflows.dueEscalations(t0 + 500, 10)).map((item) => item.id),
        [approval.id],
      );
      assert.equal((await store.workflows.listApprovals('tenant-a', { assignee: 'support', limit: 10 })).data.length, 1);

      const escalation = { id: approval.id, to: 'finance-leads' };
      const waiting = { status: 'waiting_approval' as const };
      assert.equal(
        await store.workflows.appendStep(step({ ...run, seq: 1 }, 2, 'approval-escalation', waiting, { escalation, approvalEvent: event('approval-escalation') })),
        'appended',
      );
      // A second sweeper escalating the same approval writes nothing: not its journal entry, not its event, not its webhook.
      assert.equal(
        await store.workflows.appendStep(
          step({ ...run, seq: 2 }, 3, 'approval-escalation', waiting, { escalation, approvalEvent: event('approval-escalation'), webhooks: hook(`whd_${run.id}_dup`) }),
        ),
        'conflict',
      );
      assert.equal((await store.workflows.getRun(run.id))!.seq, 2);
      const escalated = (await store.workflows.getApproval(approval.id))!;
      assert.equal(escalated.assignee, 'finance-leads');
      assert.equal(escalated.escalatedAt, t0 + 2);
      assert.deepEqual(await store.workflows.dueEscalations(t0 + 5_000, 10), []);
      assert.equal((await store.workflows.listApprovals('tenant-a', { assignee: 'finance-leads', limit: 10 })).data.length, 1);

      const events = await store.workflows.approvalEvents('tenant-a', 0, 10);
      assert.deepEqual(
        events.map((item) => item.type),
        ['approval-request', 'approval-escalation'],
      );
      assert.ok(events[0]!.seq < events[1]!.seq);
      assert.deepEqual(events[1]!.data, { type: 'approval-escalation' });
      assert.deepEqual(
        (await store.workflows.approvalEvents('tenant-a', events[0]!.seq, 10)).map((item) => item.type),
        ['approval-escalation'],
      );
      assert.deepEqual(await store.workflows.approvalEvents('tenant-b', 0, 10), []);
      const deliveries = await store.deliveries.ofJob(run.id);
      assert.deepEqual(
        deliveries.map((delivery) => [delivery.id, delivery.status, delivery.tenant]),
        [[`whd_${run.id}_1`, 'pending', 'tenant-a']],
      );
    });

    it('writes a step and the steps chained after it (followedBy) in one transaction: all of them, or none when any seq is taken', async () => {
      const { run } = await store.workflows.createRun(newRun());
      const chained = {
        ...step(run, 1, 'tool-result'),
        followedBy: { ...step({ ...run, seq: 1 }, 2, 'transition', { state: 'done' }), followedBy: step({ ...run, seq: 2, state: 'done' }, 3, 'tool-call') },
      };
      assert.equal(await store.workflows.appendStep(chained), 'appended');
      assert.deepEqual(
        (await store.workflows.journal(run.id, 0)).map((entry) => [entry.seq, entry.kind]),
        [
          [1, 'tool-result'],
          [2, 'transition'],
          [3, 'tool-call'],
        ],
      );
      const moved = (await store.workflows.getRun(run.id))!;
      assert.equal(moved.seq, 3);
      assert.equal(moved.state, 'done');
      // The head's seq is free, its follower's (3) is taken: neither is written.
      const broken = { ...step(moved, 4, 'tool-result'), followedBy: step({ ...moved, seq: 2 }, 3, 'transition') };
      assert.equal(await store.workflows.appendStep(broken), 'conflict');
      assert.equal((await store.workflows.getRun(run.id))!.seq, 3, 'the head was rolled back with its follower');
      assert.deepEqual(await store.workflows.entry(run.id, 4), undefined);
    });

    it('lists runs newest first with a cursor and filters; finds stalled runs; deletes finished ones with their journal', async () => {
      const runs: WorkflowRun[] = [];
      for (let i = 0; i < 5; i++) runs.push((await store.workflows.createRun(newRun({ createdAt: t0 + i, workflow: i % 2 === 0 ? 'refund' : 'other' }))).run);
      const first = await store.workflows.listRuns('tenant-a', { limit: 2 });
      assert.deepEqual(
        first.data.map((run) => run.id),
        [runs[4]!.id, runs[3]!.id],
      );
      const second = await store.workflows.listRuns('tenant-a', { limit: 10, cursor: first.nextCursor! });
      assert.deepEqual(
        second.data.map((run) => run.id),
        [runs[2]!.id, runs[1]!.id, runs[0]!.id],
      );
      assert.equal((await store.workflows.listRuns('tenant-a', { limit: 10, workflow: 'other' })).data.length, 2);
      assert.deepEqual(
        (await store.workflows.stalledRuns(t0 + 2, 10)).map((run) => run.id),
        [runs[0]!.id, runs[1]!.id],
      );
      assert.equal(await store.workflows.appendStep(step(runs[0]!, 1, 'transition', { status: 'succeeded' })), 'appended');
      assert.equal((await store.workflows.getRun(runs[0]!.id))!.finishedAt, t0 + 1);
      assert.equal((await store.workflows.listRuns('tenant-a', { limit: 10, status: 'succeeded' })).data.length, 1);
      assert.equal(await store.workflows.deleteFinishedBefore(t0 + 2), 1);
      assert.equal(await store.workflows.getRun(runs[0]!.id), undefined);
      assert.deepEqual(await store.workflows.journal(runs[0]!.id, 0), []);
      assert.ok(await store.workflows.getRun(runs[1]!.id));
    });
  });
}
