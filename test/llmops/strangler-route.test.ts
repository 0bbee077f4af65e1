import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamSecret } from '../support/test-app.js';

describe('strangler routes: a sticky share to the AI side, failed AI answers replaced by legacy ones, automatic rollback', () => {
  let upstream: OpenAIUpstream;
  let legacy: Server;
  let legacyCalls = 0;
  /** What the model does next: answer a valid category, an invalid one, or fail. */
  let mode: 'valid' | 'invalid' | 'error' = 'valid';
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (mode === 'error') {
        sendJson(response, 500, { error: { message: 'model down', type: 'server_error' } });
        return true;
      }
      answer(request, response, JSON.stringify({ category: mode === 'valid' ? 'billing' : 'no idea' }));
      return true;
    });
    legacy = createServer((request, response) => {
      legacyCalls++;
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => sendJson(response, 200, { category: 'shipping', by: 'legacy', ticket: (JSON.parse(text) as { ticket: string }).ticket }));
    });
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    const legacyUrl = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}/triage`;
    const route = {
      legacy: { url: legacyUrl },
      ai: { prompt: 'triage' },
      schema: { type: 'object', required: ['category'], properties: { category: { enum: ['billing', 'shipping'] } } },
    };
    test = await startTestApp(
      {
        providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'UPSTREAM_KEY' } } },
        models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
        routing: { breaker: { failureThreshold: 1000 } },
        cache: { exact: { enabled: false } },
        strangler: {
          triage: { ...route, percent: 100, rollback: { maxFailureRate: 0.5, minRequests: 6, windowMs: 60_000 } },
          half: { ...route, percent: 50 },
        },
      },
      { env: { UPSTREAM_KEY: upstreamSecret } },
    );
    key = await test.key();
    const pushed = await test.server.inject({
      method: 'POST',
      url: '/v1/prompts/triage/versions',
      headers: bearer(adminToken),
      payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'Categorise: {{ticket}}' }], variables: { ticket: { type: 'string' } }, labels: ['production'] },
    });
    assert.equal(pushed.statusCode, 201, pushed.body);
  });
  after(async () => {
    await test.close();
    legacy.close();
    await upstream.close();
  });

  const call = (route: string, ticket: string, user?: string) =>
    test.server.inject({ method: 'POST', url: `/v1/routes/${route}`, headers: bearer(key), payload: { input: { ticket }, ...(user ? { user } : {}) } });

  it('sends each end user to the same side every time, about the configured share to the AI side', async () => {
    const sides = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      for (let user = 0; user < 60; user++) {
        const response = await call('half', 'where is my parcel', `user-${user}`);
        assert.equal(response.statusCode, 200, response.body);
        const side = response.json().side;
        if (round === 0) sides.set(`user-${user}`, side);
        else assert.equal(side, sides.get(`user-${user}`), 'sticky per user');
      }
    }
    const ai = [...sides.values()].filter((side) => side === 'ai').length;
    assert.ok(ai > 15 && ai < 45, `${ai} of 60 users on the AI side at 50%`);
  });

  it('answers from legacy when the AI side fails, rolls back once failures cross the threshold, and resumes on request', async () => {
    mode = 'valid';
    for (let index = 0; index < 3; index++) {
      const response = await call('triage', `ticket ${index}`);
      assert.deepEqual([response.json().side, response.json().output], ['ai', { category: 'billing' }]);
    }
    mode = 'invalid';
    const invalid = await call('triage', 'ticket 3');
    assert.deepEqual([invalid.json().side, invalid.json().reason, invalid.json().output.by], ['legacy', 'ai-schema-failure', 'legacy']);
    assert.match(String(invalid.headers['x-breakwater-strangler']), /^legacy; reason=ai-schema-failure/);
    mode = 'error';
    const failed = await call('triage', 'ticket 4');
    assert.deepEqual([failed.json().side, failed.json().reason], ['legacy', 'ai-error']);
    const status = (await test.server.inject({ method: 'GET', url: '/v1/routes/triage', headers: bearer(adminToken) })).json();
    assert.deepEqual([status.rolled_back, status.window.requests, status.window.failures], [null, 5, 2], 'below minRequests: not yet');

    // The sixth AI request makes 3 failures in 6: 50%, the threshold.
    const sixth = await call('triage', 'ticket 5');
    assert.equal(sixth.json().reason, 'ai-error');
    const rolledBack = (await test.server.inject({ method: 'GET', url: '/v1/routes/triage', headers: bearer(adminToken) })).json().rolled_back;
    assert.deepEqual([rolledBack.failure_rate, rolledBack.requests], [0.5, 6]);

    mode = 'valid';
    const modelCalls = upstream.chatRequests().length;
    const legacyBefore = legacyCalls;
    const after = await call('triage', 'ticket 6');
    assert.equal(legacyCalls, legacyBefore + 1);
    assert.deepEqual([after.json().side, after.json().reason, after.json().output.by], ['legacy', 'rolled-back', 'legacy']);
    assert.equal(upstream.chatRequests().length, modelCalls, 'a rolled-back route does not call the model');
    const metrics = (await test.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /breakwater_strangler_rolled_back\{route="triage"\} 1/);
    assert.match(metrics, /breakwater_strangler_decisions_total\{route="triage",side="legacy",reason="ai-error"\} 2/);

    assert.match(metrics, /breakwater_strangler_rollbacks_total\{route="triage"\} 1/);

    // The ledger: every request (legacy answers too) and the rollback with its reason, newest first.
    const ledger = (await test.server.inject({ method: 'GET', url: '/v1/routes/triage/decisions', headers: bearer(adminToken) })).json().data as Array<
      Record<string, unknown> & { prompt: { name: string; version: number } | null }
    >;
    assert.deepEqual(
      ledger.map((row) => [row.event, row.side, row.reason, row.failure]),
      [
        ['request', 'legacy', 'rolled-back', null],
        ['rollback', 'legacy', 'failure-rate', 'GATEWAY_UPSTREAM_ERROR'],
        ['request', 'legacy', 'ai-error', 'GATEWAY_UPSTREAM_ERROR'],
        ['request', 'legacy', 'ai-error', 'GATEWAY_UPSTREAM_ERROR'],
        ['request', 'legacy', 'ai-schema-failure', 'SCHEMA_FAILURE'],
        ['request', 'ai', 'split', null],
        ['request', 'ai', 'split', null],
        ['request', 'ai', 'split', null],
      ],
    );
    const [rolledBackRow, rollbackRow, , , schemaRow, aiRow] = ledger;
    assert.deepEqual([rollbackRow!.failure_rate, rollbackRow!.window_requests], [0.5, 6]);
    assert.deepEqual([rolledBackRow!.ai_attempted, rolledBackRow!.legacy_status, rolledBackRow!.prompt], [false, 200, null]);
    assert.equal(rolledBackRow!.request_id, after.json().id);
    assert.deepEqual([schemaRow!.ai_attempted, schemaRow!.ai_failed, schemaRow!.legacy_status, schemaRow!.prompt], [true, true, 200, { name: 'triage', version: 1 }]);
    assert.ok(typeof aiRow!.latency_ms === 'number' && aiRow!.legacy_status === null);
    // The AI side's model call is in the usage ledger under the route request's id.
    await test.app.ledgerWriter.flush();
    const usage = (await test.server.inject({ method: 'GET', url: '/v1/usage/requests?limit=1000', headers: bearer(adminToken) })).json().data as Array<{ request_id: string }>;
    assert.ok(
      usage.some((row) => row.request_id === aiRow!.request_id),
      'the AI call is in the usage ledger with the route request id',
    );

    const refused = await test.server.inject({ method: 'POST', url: '/v1/routes/triage/resume', headers: bearer(key) });
    assert.equal(refused.statusCode, 401);
    assert.equal((await test.server.inject({ method: 'POST', url: '/v1/routes/triage/resume', headers: bearer(adminToken) })).statusCode, 200);
    assert.equal((await call('triage', 'ticket 7')).json().side, 'ai');
    const resumed = (await test.server.inject({ method: 'GET', url: '/v1/routes/triage/decisions?limit=2', headers: bearer(adminToken) })).json();
    assert.deepEqual(
      resumed.data.map((row: { event: string; reason: string; actor: string | null }) => [row.event, row.reason, row.actor]),
      [
        ['request', 'split', null],
        ['resume', 'operator', 'admin'],
      ],
    );
    const older = (await test.server.inject({ method: 'GET', url: `/v1/routes/triage/decisions?limit=2&before=${resumed.next_before}`, headers: bearer(adminToken) })).json();
    assert.deepEqual(
      older.data.map((row: { event: string; reason: string }) => [row.event, row.reason]),
      [
        ['request', 'rolled-back'],
        ['rollback', 'failure-rate'],
      ],
    );
  });
});
