import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { scaleOut, type ScaleOut } from '../support/scale-out.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamSecret } from '../support/test-app.js';

/*
 * Two apps over one PostgreSQL schema (and one RabbitMQ queue, as a cluster runs): the
 * strangler window is counted over both nodes' requests and the rollback, made by whichever
 * node crosses the threshold, holds on both; a resume on one node resumes both. Per node,
 * neither would have rolled back: each sees only half the failures.
 */
describe('strangler routes over a shared PostgreSQL store: one window and one rollback for every node', () => {
  let run: ScaleOut;
  let upstream: OpenAIUpstream;
  let legacy: Server;
  let failing = true;
  const nodes: TestApp[] = [];
  const keys: string[] = [];

  before(async () => {
    run = await scaleOut();
    upstream = await OpenAIUpstream.start((request, response) => {
      if (failing) sendJson(response, 500, { error: { message: 'model down', type: 'server_error' } });
      else answer(request, response, JSON.stringify({ category: 'billing' }));
      return true;
    });
    legacy = createServer((_request, response) => sendJson(response, 200, { category: 'shipping', by: 'legacy' }));
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    const config = {
      store: { driver: 'postgres', url: { env: 'BW_TEST_DATABASE_URL' } },
      queue: { driver: 'rabbitmq', url: { env: 'BW_TEST_AMQP_URL' }, name: run.id.replaceAll('_', '-') },
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'UPSTREAM_KEY' } } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      routing: { breaker: { failureThreshold: 1000 } },
      cache: { exact: { enabled: false } },
      strangler: {
        triage: {
          legacy: { url: `http://127.0.0.1:${(legacy.address() as AddressInfo).port}/triage` },
          ai: { prompt: 'triage' },
          percent: 100,
          rollback: { maxFailureRate: 0.5, minRequests: 4, windowMs: 60_000 },
        },
      },
    };
    for (let node = 0; node < 2; node++) {
      const test = await startTestApp(config, { env: { ...run.env, UPSTREAM_KEY: upstreamSecret } });
      nodes.push(test);
      keys.push(await test.key());
    }
    const pushed = await nodes[0]!.server.inject({
      method: 'POST',
      url: '/v1/prompts/triage/versions',
      headers: bearer(adminToken),
      payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'Categorise: {{ticket}}' }], variables: { ticket: { type: 'string' } }, labels: ['production'] },
    });
    assert.equal(pushed.statusCode, 201, pushed.body);
  });
  after(async () => {
    for (const node of nodes) await node.close();
    legacy.close();
    await upstream?.close();
    await run?.cleanup();
  });

  const call = (node: number) =>
    nodes[node]!.server.inject({ method: 'POST', url: '/v1/routes/triage', headers: bearer(keys[node]!), payload: { input: { ticket: 'where is my parcel' } } });
  const status = async (node: number) => (await nodes[node]!.server.inject({ method: 'GET', url: '/v1/routes/triage', headers: bearer(adminToken) })).json();
  const metrics = async (node: number) => (await nodes[node]!.server.inject({ method: 'GET', url: '/metrics' })).body;

  it('counts both nodes in one window, rolls back on both when the second node crosses the threshold, and resumes both', async () => {
    for (const node of [0, 1, 0]) assert.equal((await call(node)).json().reason, 'ai-error');
    assert.deepEqual([(await status(0)).window.requests, (await status(1)).window.failures], [3, 3], 'both nodes count the same window');
    assert.equal((await status(0)).rolled_back, null);

    // The fourth failure, on node 1: 4 of 4. Node 0 has seen two of them, below minRequests.
    assert.equal((await call(1)).json().reason, 'ai-error');
    const [zero, one] = [await status(0), await status(1)];
    assert.deepEqual(zero.rolled_back, one.rolled_back);
    assert.deepEqual([zero.rolled_back.failure_rate, zero.rolled_back.requests], [1, 4]);

    const modelCalls = upstream.chatRequests().length;
    const onZero = await call(0);
    assert.deepEqual([onZero.json().side, onZero.json().reason], ['legacy', 'rolled-back'], 'node 0 holds the rollback node 1 made');
    assert.equal(upstream.chatRequests().length, modelCalls, 'neither node calls the model while rolled back');
    assert.match(await metrics(0), /breakwater_strangler_rolled_back\{route="triage"\} 1/);
    assert.match(await metrics(1), /breakwater_strangler_rollbacks_total\{route="triage"\} 1/);
    assert.doesNotMatch(await metrics(0), /breakwater_strangler_rollbacks_total\{route="triage"\} 1/, 'counted once, on the node that rolled back');

    // Node 0's ledger holds node 1's requests and the rollback.
    const ledger = (await nodes[0]!.server.inject({ method: 'GET', url: '/v1/routes/triage/decisions', headers: bearer(adminToken) })).json().data;
    assert.deepEqual(
      ledger.map((row: { event: string; reason: string }) => `${row.event}:${row.reason}`),
      ['request:rolled-back', 'rollback:failure-rate', 'request:ai-error', 'request:ai-error', 'request:ai-error', 'request:ai-error'],
    );

    assert.equal((await nodes[1]!.server.inject({ method: 'POST', url: '/v1/routes/triage/resume', headers: bearer(adminToken) })).statusCode, 200);
    failing = false;
    const resumed = await call(0);
    assert.deepEqual([resumed.json().side, resumed.json().reason], ['ai', 'split'], 'a resume on node 1 resumes node 0');
    assert.deepEqual((await status(1)).window.requests, 1, 'the window starts again at the resume');
    assert.match(await metrics(0), /breakwater_strangler_rolled_back\{route="triage"\} 0/);
  });

  it('rolls back exactly once when both nodes cross the threshold at the same time', async () => {
    failing = true;
    await Promise.all(Array.from({ length: 16 }, (_, index) => call(index % 2)));
    const ledger = (await nodes[1]!.server.inject({ method: 'GET', url: '/v1/routes/triage/decisions?limit=1000', headers: bearer(adminToken) })).json().data as Array<{
      event: string;
    }>;
    const sinceResume = ledger.slice(
      0,
      ledger.findIndex((row) => row.event === 'resume'),
    );
    assert.equal(sinceResume.filter((row) => row.event === 'rollback').length, 1);
    assert.equal(sinceResume.filter((row) => row.event === 'request').length, 17, 'the 16 and the one after the resume');
    const counted = [await metrics(0), await metrics(1)].map((text) => Number(/breakwater_strangler_rollbacks_total\{route="triage"\} (\d+)/.exec(text)?.[1] ?? 0));
    assert.equal(counted[0]! + counted[1]!, 2, 'one rollback before, one now, across both nodes');
    assert.notEqual((await status(0)).rolled_back, null);
  });
});
