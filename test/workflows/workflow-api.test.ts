import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { textCompletion } from '../support/scripted-answers.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig, waitFor } from '../support/test-app.js';
import { toolCalls } from './fixtures/refund-workflow.js';

const fixture = fileURLToPath(new URL('./fixtures/refund-workflow.ts', import.meta.url));

describe('workflows over HTTP (embedded)', () => {
  let test: TestApp;
  let upstream: OpenAIUpstream;
  let key: string;
  /** What the scripted model answers, in order; the last one repeats. */
  let answers: string[] = [];

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response, index) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(textCompletion(request, answers[Math.min(index, answers.length - 1)] ?? '{}')));
      return true;
    });
    test = await startTestApp(upstreamConfig(upstream.url, { workflows: { files: [fixture] }, jobs: { pollMs: 50 } }), { env: { UPSTREAM_KEY: 'sk-test' } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const call = async <T = Record<string, unknown>>(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}, secret = key) => {
    const response = await test.server.inject({ method, url, headers: { ...bearer(secret), ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: response.statusCode, body: response.json() as T };
  };
  const runOf = (id: string) => call<{ status: string; state: string; context: Record<string, unknown>; error: { code: string } | null }>('GET', `/v1/workflow-runs/${id}`);
  const until = async (id: string, status: string) => {
    await waitFor(async () => (await runOf(id)).body.status === status).catch(async (error) => {
      assert.fail(
        `${error}: run ${JSON.stringify((await runOf(id)).body)}, journal ${JSON.stringify(await journal(id))}, jobs ${JSON.stringify((await call('GET', '/v1/jobs')).body)}`,
      );
    });
    return (await runOf(id)).body;
  };
  const journal = async (id: string) =>
    (
      await call<{ data: Array<{ seq: number; kind: string; state: string; input: Record<string, unknown>; output: Record<string, unknown>; actor: string }> }>(
        'GET',
        `/v1/workflow-runs/${id}/journal`,
      )
    ).body.data;

  it('pauses above the threshold, resumes when approved with edited arguments, and a second approve changes nothing', async () => {
    const started = await call<{ id: string; status: string }>(
      'POST',
      '/v1/workflows/refund/runs',
      { input: { order_id: 'A-1', amount: 250 } },
      { 'idempotency-key': 'refund-A-1' },
    );
    assert.equal(started.status, 202);
    const replayed = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'A-1', amount: 250 } }, { 'idempotency-key': 'refund-A-1' });
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.id, started.body.id);
    const id = started.body.id;
    await until(id, 'waiting_approval');
    const pending = await call<{ data: Array<{ id: string; tool: string; args: unknown; run_id: string }> }>('GET', `/v1/approvals?status=pending&run=${id}`);
    assert.equal(pending.body.data.length, 1);
    const approval = pending.body.data[0]!;
    assert.equal(approval.tool, 'pay_refund');
    assert.deepEqual(approval.args, { order_id: 'A-1', amount: 250 });
    assert.equal(toolCalls.filter((entry) => entry.runId === id && entry.tool === 'pay_refund').length, 0, 'nothing paid before the approval');

    const [first, second] = await Promise.all([
      call<{ status: string }>('POST', `/v1/approvals/${approval.id}/approve`, { by: 'ana', reason: 'customer is right', args: { order_id: 'A-1', amount: 200 } }),
      call<{ status: string }>('POST', `/v1/approvals/${approval.id}/approve`, { by: 'ana', reason: 'customer is right', args: { order_id: 'A-1', amount: 200 } }),
    ]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const done = await until(id, 'succeeded');
    assert.equal(done.state, 'refunded');
    assert.deepEqual((done.context.refund as { amount: number }).amount, 200);
    const payments = toolCalls.filter((entry) => entry.runId === id && entry.tool === 'pay_refund');
    assert.equal(payments.length, 1, 'paid once');
    assert.deepEqual(payments[0]!.args, { order_id: 'A-1', amount: 200 });
    const entries = await journal(id);
    assert.deepEqual(
      entries.map((entry) => entry.kind),
      ['tool-call', 'tool-result', 'transition', 'approval-request', 'approval-decision', 'tool-call', 'tool-result', 'transition'],
    );
    const decision = entries.find((entry) => entry.kind === 'approval-decision')!;
    assert.equal(decision.actor, 'ana');
    assert.equal(decision.input.reason, 'customer is right');
    const payCall = entries.filter((entry) => entry.kind === 'tool-call')[1]!;
    assert.equal(payCall.input.idempotencyKey, payments[0]!.idempotencyKey);
    // Rejecting what was approved is refused.
    const late = await call<{ error: { code: string } }>('POST', `/v1/approvals/${approval.id}/reject`, { by: 'bo' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'APPROVAL_ALREADY_DECIDED');
    const replay = await call<{ matches: boolean; divergences: unknown[] }>('POST', `/v1/workflow-runs/${id}/replay`);
    assert.equal(replay.body.matches, true, JSON.stringify(replay.body.divergences));
  });

  it('below the threshold runs straight through; a rejected approval goes to onReject and pays nothing', async () => {
    const small = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'B-1', amount: 40 } });
    assert.equal((await until(small.body.id, 'succeeded')).state, 'refunded');
    const big = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'B-2', amount: 900 } });
    await until(big.body.id, 'waiting_approval');
    const approval = (await call<{ data: Array<{ id: string }> }>('GET', `/v1/approvals?run=${big.body.id}`)).body.data[0]!;
    assert.equal((await call('POST', `/v1/approvals/${approval.id}/reject`, { by: 'bo', reason: 'fraud' })).status, 200);
    assert.equal((await until(big.body.id, 'succeeded')).state, 'declined');
    assert.equal(toolCalls.filter((entry) => entry.runId === big.body.id && entry.tool === 'pay_refund').length, 0);
  });

  it('refuses bad input, unknown workflows, and hides runs and approvals of other tenants', async () => {
    const bad = await call<{ error: { code: string; param: string } }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'C-1' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'WORKFLOW_INPUT_INVALID');
    assert.equal((await call<{ error: { code: string } }>('POST', '/v1/workflows/nope/runs', { input: {} })).body.error.code, 'WORKFLOW_NOT_FOUND');
    const run = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'C-2', amount: 500 } });
    await until(run.body.id, 'waiting_approval');
    const approval = (await call<{ data: Array<{ id: string }> }>('GET', `/v1/approvals?run=${run.body.id}`)).body.data[0]!;
    const other = await test.key({ name: 'other' });
    assert.equal((await call('GET', `/v1/workflow-runs/${run.body.id}`, undefined, {}, other)).status, 404);
    assert.equal((await call('GET', `/v1/approvals/${approval.id}`, undefined, {}, other)).status, 404);
    assert.equal((await call('POST', `/v1/approvals/${approval.id}/approve`, { by: 'mallory' }, {}, other)).status, 404);
    assert.equal((await call<{ data: unknown[] }>('GET', '/v1/approvals', undefined, {}, other)).body.data.length, 0);
    // Cancelling the paused run cancels its approval too.
    const cancelled = await call<{ status: string }>('POST', `/v1/workflow-runs/${run.body.id}/cancel`);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await call<{ status: string }>('GET', `/v1/approvals/${approval.id}`)).body.status, 'cancelled');
    assert.equal((await call<{ error: { code: string } }>('POST', `/v1/workflow-runs/${run.body.id}/cancel`)).body.error.code, 'WORKFLOW_RUN_NOT_CANCELLABLE');
  });

  it('a model step that picks a transition or tool the state does not allow never executes it, and is asked again', async () => {
    answers = [
      JSON.stringify({ choice: 'transition:purge', arguments: {} }),
      JSON.stringify({ choice: 'transition:escalate', arguments: {} }),
      JSON.stringify({ choice: 'tool:delete_account', arguments: {} }),
      JSON.stringify({ choice: 'transition:answer', arguments: {} }),
    ];
    const before = upstream.chatRequests().length;
    const run = await call<{ id: string }>('POST', '/v1/workflows/triage/runs', { input: { order_id: 'N-1', amount: 1 } });
    const done = await until(run.body.id, 'succeeded');
    assert.equal(done.state, 'answer');
    const entries = await journal(run.body.id);
    assert.deepEqual(
      entries.map((entry) => entry.kind),
      ['error', 'error', 'error', 'model-decision', 'transition'],
    );
    assert.ok(entries.every((entry) => entry.state === 'classify' || entry.kind === 'transition'));
    assert.ok(!entries.some((entry) => entry.kind === 'transition' && entry.input.to !== 'answer'), 'no refused transition was taken');
    assert.equal(toolCalls.filter((entry) => entry.runId === run.body.id).length, 0, 'the refused tool never ran');
    // The model saw only what the state allows: escalate's guard is false for this ticket, purge is not a transition of classify.
    const request = upstream.chatRequests()[before]!.body as { response_format: { json_schema: { schema: { properties: { choice: { enum: string[] } } } } } };
    assert.deepEqual(request.response_format.json_schema.schema.properties.choice.enum, ['transition:answer', 'tool:lookup_order']);
    assert.match(JSON.stringify(upstream.chatRequests()[before + 1]!.body), /previous answer was refused/);

    answers = [JSON.stringify({ choice: 'transition:purge', arguments: {} })];
    const failing = await call<{ id: string }>('POST', '/v1/workflows/triage/runs', { input: { order_id: 'N-2', amount: 1 } });
    const failed = await until(failing.body.id, 'failed');
    assert.equal(failed.error?.code, 'WORKFLOW_MODEL_INVALID_CHOICE');
    assert.equal(failed.state, 'classify');
  });

  it("the admin token reads, follows and cancels every tenant's runs, each with its tenant; a key stays in its own", async () => {
    const northwind = await test.key({ name: 'northwind', tenant: 'northwind' });
    const contoso = await test.key({ name: 'contoso', tenant: 'contoso' });
    const done = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'T-1', amount: 10 } }, {}, northwind);
    const paused = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'T-2', amount: 250 } }, {}, contoso);
    await waitFor(async () => (await call<{ status: string }>('GET', `/v1/workflow-runs/${done.body.id}`, undefined, {}, northwind)).body.status === 'succeeded');
    await waitFor(async () => (await call<{ status: string }>('GET', `/v1/workflow-runs/${paused.body.id}`, undefined, {}, contoso)).body.status === 'waiting_approval');

    const listed = await call<{ data: Array<{ id: string; tenant?: string }> }>('GET', '/v1/workflow-runs?limit=100', undefined, {}, adminToken);
    assert.equal(listed.status, 200);
    const tenants = new Map(listed.body.data.map((run) => [run.id, run.tenant]));
    assert.equal(tenants.get(done.body.id), 'northwind');
    assert.equal(tenants.get(paused.body.id), 'contoso');
    const narrowed = await call<{ data: Array<{ id: string }> }>('GET', '/v1/workflow-runs?tenant=northwind', undefined, {}, adminToken);
    assert.deepEqual(
      narrowed.body.data.map((run) => run.id),
      [done.body.id],
    );
    const journal = await call<{ data: Array<{ seq: number }> }>('GET', `/v1/workflow-runs/${done.body.id}/journal`, undefined, {}, adminToken);
    assert.equal(journal.status, 200);
    assert.ok(journal.body.data.length > 0);
    const events = await test.server.inject({ method: 'GET', url: `/v1/workflow-runs/${done.body.id}/events`, headers: bearer(adminToken) });
    assert.equal([...events.body.matchAll(/^id: (\d+)$/gm)].length, journal.body.data.length, 'the stream replays the whole journal');

    // The admin cancels another tenant's paused run: its approval goes with it, in the tenant's inbox.
    const cancelled = await call<{ status: string; tenant?: string }>('POST', `/v1/workflow-runs/${paused.body.id}/cancel`, undefined, {}, adminToken);
    assert.equal(cancelled.status, 200);
    assert.deepEqual([cancelled.body.status, cancelled.body.tenant], ['cancelled', 'contoso']);
    const approvals = await call<{ data: Array<{ status: string; decided_by: string }> }>('GET', `/v1/approvals?run=${paused.body.id}`, undefined, {}, contoso);
    assert.deepEqual(
      approvals.body.data.map((approval) => [approval.status, approval.decided_by]),
      [['cancelled', 'admin']],
    );

    // A key: its own tenant only, no tenant field, another tenant's ?tenant= refused.
    const own = await call<{ data: Array<{ id: string; tenant?: string }> }>('GET', '/v1/workflow-runs', undefined, {}, northwind);
    assert.deepEqual(
      own.body.data.map((run) => [run.id, run.tenant]),
      [[done.body.id, undefined]],
    );
    assert.equal((await call('GET', `/v1/workflow-runs/${paused.body.id}`, undefined, {}, northwind)).status, 404);
    assert.equal((await call('GET', '/v1/workflow-runs?tenant=contoso', undefined, {}, northwind)).status, 400);
    // Starting a run still takes a key.
    assert.equal((await call('POST', '/v1/workflows/refund/runs', { input: { order_id: 'T-3', amount: 1 } }, {}, adminToken)).status, 401);
  });

  it('streams the journal over SSE and resumes after Last-Event-ID', async () => {
    const run = await call<{ id: string }>('POST', '/v1/workflows/refund/runs', { input: { order_id: 'D-1', amount: 10 } });
    await until(run.body.id, 'succeeded');
    const all = await test.server.inject({ method: 'GET', url: `/v1/workflow-runs/${run.body.id}/events`, headers: bearer(key) });
    const ids = [...all.body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
    assert.match(all.body, /event: tool-call\n/);
    const resumed = await test.server.inject({ method: 'GET', url: `/v1/workflow-runs/${run.body.id}/events`, headers: { ...bearer(key), 'last-event-id': '4' } });
    assert.deepEqual(
      [...resumed.body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])),
      [5, 6],
    );
  });
});
