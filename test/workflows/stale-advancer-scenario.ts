import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import type { Gateway } from '../../src/core/gateway/gateway.js';
import type { Store, VirtualKey } from '../../src/core/ports/store.js';
import { defineWorkflow } from '../../src/core/workflows/definition.js';
import { WorkflowEngine } from '../../src/core/workflows/workflow-engine.js';
import { WorkflowRegistry } from '../../src/core/workflows/workflow-registry.js';

/** Two handles on one shared store, as two worker processes have. */
export interface TwoNodes {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

interface ChargeCall {
  worker: 'a' | 'b';
  idempotencyKey: string;
}

const key = { id: 'key-stale', tenant: 'tenant-stale' } as VirtualKey;

/**
 * A worker (A) whose lease lapsed while its tool call hung, and the worker (B) the run was
 * handed to: B re-sends the call (same key), stores its result and goes on to an approval;
 * A's late answer must stop A before it writes anything — no second result, no second
 * transition, no second approval request — and a retry A had scheduled must not be sent.
 */
export function staleAdvancerScenario(open: () => Promise<TwoNodes>): void {
  const charges: ChargeCall[] = [];
  let notifies = 0;
  /** What A's hung charge call does when released: answer late, or fail (retryably) late. */
  let releaseA: ((outcome: 'answer' | 'fail') => void) | undefined;
  let aSending: (() => void) | undefined;
  const workflow = defineWorkflow({
    name: 'stale',
    version: 1,
    initial: 'charge',
    tools: {
      charge: {
        args: { type: 'object' },
        result: { type: 'object', properties: { charged: { const: true } }, required: ['charged'] },
        retries: 2,
        run: async (_args, call) => {
          charges.push({ worker: current, idempotencyKey: call.idempotencyKey });
          if (current === 'a') {
            aSending?.();
            const outcome = await new Promise<'answer' | 'fail'>((resolve) => (releaseA = resolve));
            if (outcome === 'fail') throw new BreakwaterError('GATEWAY_UPSTREAM_TIMEOUT', 'the charge service timed out', { retryable: true });
          }
          return { charged: true };
        },
      },
      notify: {
        args: { type: 'object' },
        result: { type: 'object' },
        approval: true,
        run: async () => {
          notifies++;
          return {};
        },
      },
    },
    states: {
      charge: { call: { tool: 'charge', args: () => ({}), next: 'notify' } },
      notify: { call: { tool: 'notify', args: () => ({}), next: 'done' } },
      done: { final: 'succeeded' },
    },
  });
  /** Which engine is calling: the tool runs inside the advance of exactly one engine at a time. */
  let current: 'a' | 'b' = 'a';

  const engineOn = (store: Store) => {
    const registry = new WorkflowRegistry();
    registry.register(workflow);
    return new WorkflowEngine({ store: store.workflows, registry, gateway: {} as Gateway, http: undefined, approvalTimeoutMs: 60_000 });
  };

  for (const late of ['answer', 'fail'] as const) {
    it(`the stale worker's late ${late === 'answer' ? 'answer' : 'failure'} stops it before any further step: one result, one transition, one approval request${late === 'fail' ? ', and no retry is sent' : ''}`, async () => {
      charges.length = 0;
      notifies = 0;
      const nodes = await open();
      try {
        const a = engineOn(nodes.a);
        const b = engineOn(nodes.b);
        const { run } = await nodes.a.workflows.createRun({
          id: `run_stale_${late}_${Date.now().toString(36)}`,
          tenant: key.tenant,
          keyId: key.id,
          workflow: 'stale',
          version: 1,
          state: 'charge',
          context: { input: null },
          webhookUrl: null,
          idempotencyKey: null,
          requestHash: '',
          createdAt: Date.now(),
        });
        current = 'a';
        const sent = new Promise<void>((resolve) => (aSending = resolve));
        const advancingA = a.advance(run.id, key, new AbortController().signal);
        await sent;
        // A hangs inside the call; its lease lapses and the run's job goes to B.
        current = 'b';
        assert.equal(await b.advance(run.id, key, new AbortController().signal), 'waiting');
        const handedOver = await nodes.b.workflows.journal(run.id, 0);
        current = 'a';
        releaseA!(late);
        assert.equal(await advancingA, 'conflict', 'A stops on the step B already wrote');

        assert.deepEqual(
          charges.map((charge) => charge.worker),
          ['a', 'b'],
          late === 'fail' ? "A's retry was not sent: B had stored the result" : 'sent once by each worker',
        );
        assert.equal(new Set(charges.map((charge) => charge.idempotencyKey)).size, 1, 'both sends carried the same key');
        const journal = await nodes.a.workflows.journal(run.id, 0);
        assert.deepEqual(journal, handedOver, 'A wrote nothing after its late answer');
        assert.deepEqual(
          journal.map((entry) => entry.kind),
          ['tool-call', 'tool-result', 'transition', 'approval-request'],
        );
        const approvals = await nodes.a.workflows.listApprovals(key.tenant, { runId: run.id, limit: 10 });
        assert.equal(approvals.data.length, 1, 'one approval request');
        assert.equal(notifies, 0, 'the approval-gated tool was not called');
        assert.equal((await nodes.a.workflows.getRun(run.id))?.status, 'waiting_approval');
      } finally {
        await nodes.close();
      }
    });
  }
}
