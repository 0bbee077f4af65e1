import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { type App, createApp, type Role } from '../../src/app.js';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildServer } from '../../src/http/server.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { scaleOut, type ScaleOut } from '../support/scale-out.js';
import { adminToken, bearer, waitFor } from '../support/test-app.js';

type Node = { app: App; server: Awaited<ReturnType<typeof buildServer>> };

const traceId = '0af7651916cd43dd8448eb211c80319c';
const callerSpanId = 'b7ad6b7169203331';

/**
 * Two API nodes and a worker on PostgreSQL, Redis and RabbitMQ, in this process (so one
 * in-memory span exporter sees every node's spans): a label move or rollback made through one
 * node is served by the other on its very next request, and one trace runs from POST /v1/jobs
 * on an API node through the broker to the worker's provider call and record write.
 */
describe('LLMOps on the scale-out shape (two API nodes and a worker)', () => {
  let cluster: ScaleOut;
  let upstream: OpenAIUpstream;
  const exporter = new InMemorySpanExporter();
  const nodes: Node[] = [];
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    const manifest = examplePipelines('mock')['delivery-manifest']!;
    cluster = await scaleOut({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url }, mock: { type: 'mock' } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] }, mock: { deployments: [{ provider: 'mock', model: 'mock' }] } },
      pipelines: { manifest: { ...manifest, model: 'mock' } },
      admin: { token: { env: 'BW_TEST_ADMIN_TOKEN' } },
      jobs: { pollMs: 100 },
    });
    const loaded = loadConfig({ path: cluster.configPath, env: { ...cluster.env, BW_TEST_ADMIN_TOKEN: adminToken } });
    const start = async (role: Role) => {
      const app = await createApp(loaded, { role, logger: pino({ level: 'silent' }), spanProcessor: new SimpleSpanProcessor(exporter) });
      const server = await buildServer(app);
      await server.ready();
      nodes.push({ app, server });
      return { app, server };
    };
    await start('api');
    await start('api');
    await start('worker');
    for (const node of nodes) await (node.app.store.promptRegistry as { listeningReady?: () => Promise<void> }).listeningReady?.();
    key = (await nodes[0]!.app.keys.create({ name: 'llmops' })).secret;
  });
  after(async () => {
    for (const node of nodes.reverse()) {
      await node.server.close();
      await node.app.close();
    }
    await upstream.close();
    await cluster?.cleanup();
  });

  it('serves a label move and a rollback made on node A on the next request of node B', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    const push = (content: string) =>
      a.server.inject({
        method: 'POST',
        url: '/v1/prompts/greeting/versions',
        headers: bearer(adminToken),
        payload: { model: 'gpt-test', messages: [{ role: 'user', content }], variables: { who: { type: 'string' } } },
      });
    assert.equal((await push('v1 hello {{who}}')).json().version, 1);
    assert.equal((await push('v2 hi {{who}}')).json().version, 2);
    const move = (version: number) => a.server.inject({ method: 'PUT', url: '/v1/prompts/greeting/labels/production', headers: bearer(adminToken), payload: { version } });
    assert.equal((await move(1)).statusCode, 200);
    const chatOn = async (node: Node) => {
      const response = await node.server.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { ...bearer(key), 'cache-control': 'no-store' },
        payload: { prompt: { name: 'greeting', variables: { who: 'Ada' } } },
      });
      assert.equal(response.statusCode, 200, response.body);
      return { served: response.headers['x-breakwater-prompt'], sent: (upstream.chatRequests().at(-1)!.body.messages as Array<{ content: string }>)[0]!.content };
    };
    // Both nodes have read (and cached) production = v1.
    assert.deepEqual(await chatOn(a), { served: 'greeting@1', sent: 'v1 hello Ada' });
    assert.deepEqual(await chatOn(b), { served: 'greeting@1', sent: 'v1 hello Ada' });

    assert.equal((await move(2)).json().to_version, 2);
    assert.deepEqual(await chatOn(b), { served: 'greeting@2', sent: 'v2 hi Ada' }, 'node B serves the move at once');
    assert.deepEqual(await chatOn(a), { served: 'greeting@2', sent: 'v2 hi Ada' });

    const rollback = await a.server.inject({ method: 'POST', url: '/v1/prompts/greeting/labels/production/rollback', headers: bearer(adminToken), payload: {} });
    assert.deepEqual([rollback.json().from_version, rollback.json().to_version], [2, 1]);
    assert.deepEqual(await chatOn(b), { served: 'greeting@1', sent: 'v1 hello Ada' }, 'node B serves the rollback at once');

    // The shared ledger names the version each request was served with.
    for (const node of nodes) await node.app.ledgerWriter.flush();
    const rows = await cluster.sql.query<{ prompt_version: number }>("SELECT prompt_version FROM usage WHERE prompt_name = 'greeting' ORDER BY ts, request_id");
    assert.deepEqual(rows.rows.map((row) => row.prompt_version).sort(), [1, 1, 1, 2, 2].sort());
    // Drift monitors read the same ledger (PostgreSQL's window query): one series per version served.
    const monitors = (await a.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(adminToken) })).json().data;
    const requests = Object.fromEntries(
      monitors
        .filter((entry: { prompt: string | null }) => entry.prompt?.startsWith('greeting@'))
        .map((entry: { prompt: string; current: { requests: number } }) => [entry.prompt, entry.current.requests]),
    );
    assert.deepEqual(requests, { 'greeting@1': 3, 'greeting@2': 2 });
    // Per-request cost from the shared ledger, paged (PostgreSQL's keyset query).
    const usage = (query: string) => a.server.inject({ method: 'GET', url: `/v1/usage/requests${query}`, headers: bearer(adminToken) }).then((response) => response.json());
    const first = await usage('?prompt=greeting&prompt_version=2&limit=1');
    const second = await usage(`?prompt=greeting&prompt_version=2&limit=1&cursor=${first.next_cursor}`);
    assert.deepEqual([first.data.length, first.has_more, second.data.length, second.has_more], [1, true, 1, false]);
    assert.notEqual(first.data[0].request_id, second.data[0].request_id);
  });

  it('keeps one trace from POST /v1/jobs on an API node through RabbitMQ to the worker, its provider call and its record write', async () => {
    const api = nodes[1]!;
    const submitted = await api.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer(key), traceparent: `00-${traceId}-${callerSpanId}-01` },
      payload: { kind: 'pipeline', pipeline: 'manifest', text: 'Shipment SHP-9 from Oslo to Bergen by DHL, 1 pallet, 12 kg' },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    await waitFor(async () => exporter.getFinishedSpans().some((span) => span.spanContext().traceId === traceId && span.name === 'process pipeline jobs'), 30_000);
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const named = (name: string): ReadableSpan => {
      const found = spans.find((span) => span.name === name);
      assert.ok(found, `a span "${name}" in the trace; got ${spans.map((span) => span.name).join(', ')}`);
      return found;
    };
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const server = named('POST /v1/jobs');
    const send = named('send pipeline jobs');
    const process = named('process pipeline jobs');
    assert.equal(parentOf(server), callerSpanId);
    assert.equal(parentOf(send), server.spanContext().spanId);
    assert.equal(process.kind, SpanKind.CONSUMER);
    assert.equal(parentOf(process), send.spanContext().spanId);
    assert.equal(parentOf(named('chat mock')), process.spanContext().spanId);
    assert.equal(parentOf(named('write record')), process.spanContext().spanId);
  });
});
