import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, listenOnSocket, mockModelConfig, startTestApp, type TestApp, waitFor } from '../support/test-app.js';

interface Received {
  id: string;
  type: string;
  data: { run: { id: string; status: string }; approval: { id: string; assignee: string | null } | null };
  signature: string | undefined;
}

/**
 * A webhook receiver on a real socket that answers 503 to the first attempt of every delivery
 * (so only a retried, durable delivery reaches `delivered`) and records what it accepted.
 */
class Receiver {
  readonly delivered: Received[] = [];
  readonly attempts = new Map<string, number>();
  private readonly server: HttpServer = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text) as Received;
      const attempt = (this.attempts.get(body.id) ?? 0) + 1;
      this.attempts.set(body.id, attempt);
      if (attempt === 1) {
        response.writeHead(503).end();
        return;
      }
      this.delivered.push({ ...body, signature: request.headers['breakwater-signature'] as string | undefined });
      response.writeHead(204).end();
    });
  });

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads SSE events from a real socket until `count` arrived, then closes the stream. */
async function readEvents(url: string, key: string, count: number, lastEventId?: string): Promise<Array<{ id: string; event: string; data: Record<string, unknown> }>> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { ...bearer(key), connection: 'close', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  assert.equal(response.status, 200);
  const events: Array<{ id: string; event: string; data: Record<string, unknown> }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
        if (fields.event) events.push({ id: fields.id!, event: fields.event, data: JSON.parse(fields.data!) as Record<string, unknown> });
        end = buffer.indexOf('\n\n');
      }
      if (events.length >= count) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
    await response.body?.cancel().catch(() => undefined);
  }
  return events;
}

describe('approval notices: escalation, the approvals SSE stream, durable webhooks (embedded)', () => {
  let test: TestApp;
  let receiver: Receiver;
  let key: string;
  let base: string;
  let toolServer: HttpServer | undefined;

  before(async () => {
    receiver = await Receiver.start();
    const tools = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"paid":true}'));
    });
    await new Promise<void>((resolve) => tools.listen(0, '127.0.0.1', resolve));
    toolServer = tools;
    const toolUrl = `http://127.0.0.1:${(tools.address() as AddressInfo).port}/pay`;
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const folder = mkdtempSync(join(tmpdir(), 'breakwater-approval-notices-'));
    const file = join(folder, 'payout.yaml');
    writeFileSync(
      file,
      `name: payout
version: 1
initial: pay
tools:
  pay:
    http: { url: ${toolUrl} }
    args: { type: object }
    result: { type: object, properties: { paid: { const: true } }, required: [paid] }
    approval: true
    approval_assignee: support
    approval_escalation: { after_ms: 300, to: finance-leads }
states:
  pay: { call: { tool: pay, args: { amount: 900 }, next: done } }
  done: { final: succeeded }
`,
    );
    test = await startTestApp(
      {
        ...mockModelConfig,
        webhooks: { secrets: [{ env: 'BW_TEST_WEBHOOK_SECRET' }], allow: ['127.0.0.1'], retryBaseMs: 50, pollMs: 50 },
        workflows: { files: [file], sweepMs: 50 },
        jobs: { pollMs: 50 },
      },
      { env: { BW_TEST_WEBHOOK_SECRET: 'whsec-approval-notices-0123456789' } },
    );
    key = await test.key();
    base = `http://127.0.0.1:${await listenOnSocket(test)}`;
  });
  after(async () => {
    // An SSE connection the client abandoned can outlive server.close by the keep-alive timeout (72 s).
    test?.server.server.closeAllConnections();
    await test?.close();
    await receiver?.close();
    toolServer?.closeAllConnections();
    await new Promise<void>((resolve) => (toolServer ? toolServer.close(() => resolve()) : resolve()));
  });

  it('escalates a request still pending after its timeout (journaled, streamed, webhooked), streams every approval change with Last-Event-ID, and delivers each webhook after a failed attempt', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const started = (await (await post('/v1/workflows/payout/runs', { input: {}, webhook: { url: receiver.url } })).json()) as { id: string };

    // request, then the escalation 300 ms later (nobody decided), on the tenant's stream
    const first = await readEvents(`${base}/v1/approvals/events`, key, 2);
    assert.deepEqual(
      first.map((event) => event.event),
      ['approval-request', 'approval-escalation'],
    );
    assert.equal(first[0]!.data.run_id, started.id);
    assert.equal(first[0]!.data.assignee, 'support');
    assert.equal(first[1]!.data.assignee, 'finance-leads');
    const approvalId = first[0]!.data.id as string;

    const inbox = (await (await fetch(`${base}/v1/approvals?assignee=finance-leads&status=pending`, { headers: bearer(key) })).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(
      inbox.data.map((approval) => approval.id),
      [approvalId],
    );
    const journal = (await (await fetch(`${base}/v1/workflow-runs/${started.id}/journal`, { headers: bearer(key) })).json()) as {
      data: Array<{ kind: string; actor: string; output: unknown }>;
    };
    const escalation = journal.data.find((entry) => entry.kind === 'approval-escalation');
    assert.deepEqual([escalation?.actor, escalation?.output], ['system', { to: 'finance-leads' }]);

    assert.equal((await post(`/v1/approvals/${approvalId}/approve`, { by: 'lead', reason: 'checked' })).status, 200);
    // Resuming after the escalation's id: only the decision, nothing sent twice.
    const rest = await readEvents(`${base}/v1/approvals/events`, key, 1, first[1]!.id);
    assert.deepEqual(
      rest.map((event) => [event.event, event.data.status, event.data.decided_by]),
      [['approval-decision', 'approved', 'lead']],
    );
    assert.ok(Number(rest[0]!.id) > Number(first[1]!.id));

    // The run's next job after the decision is queued ahead of runs that are only starting.
    const decided = (await test.app.store.workflows.journal(started.id, 0)).find((entry) => entry.kind === 'approval-decision')!;
    const run = (await test.app.store.workflows.getRun(started.id))!;
    const resumed = await test.app.store.jobs.findByIdempotencyKey(run.tenant, `workflow:${started.id}:${decided.seq}`);
    assert.equal(resumed?.priority, 10);
    await waitFor(async () => receiver.delivered.length >= 3);
    // Each is retried on its own backoff, so they may arrive in any order.
    assert.deepEqual(receiver.delivered.map((hook) => hook.type).sort(), ['workflow.approval_escalated', 'workflow.approval_requested', 'workflow.succeeded']);
    const byType = (type: string) => receiver.delivered.find((hook) => hook.type === type)!;
    for (const hook of receiver.delivered) {
      assert.equal(receiver.attempts.get(hook.id), 2, `${hook.type} was retried after the receiver failed once`);
      assert.ok(hook.signature, 'signed');
      assert.equal(hook.data.run.id, started.id, JSON.stringify(hook.data.run));
    }
    assert.equal(byType('workflow.approval_escalated').data.approval?.assignee, 'finance-leads');
    assert.equal(byType('workflow.approval_requested').data.approval?.assignee, 'support');
    assert.equal(byType('workflow.succeeded').data.run.status, 'succeeded');
    assert.equal(byType('workflow.succeeded').data.approval, null);
  });
});
