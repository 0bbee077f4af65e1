import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, sseData, startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

describe('hostile input gets a clear error envelope, no crash, nothing leaked', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const chat = (payload: unknown, headers: Record<string, string> = {}) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), ...headers }, payload: payload as Record<string, unknown> });

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      const content = (request.body.messages as Array<{ content: string }> | undefined)?.at(-1)?.content;
      if (content === 'hang') return true; // never answers
      if (content === 'half-stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'partial ' }, finish_reason: null }] };
        // Cut the connection once the first event has left, as a crashing upstream would.
        response.write(`data: ${JSON.stringify(chunk)}\n\n`, () => response.destroy());
        return true;
      }
      return false;
    });
    test = await startTestApp(
      upstreamConfig(upstream.url, {
        models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0, timeoutMs: 300 }] } },
        server: { bodyLimitBytes: 1024 * 1024 },
      }),
      { env: { UPSTREAM_KEY: upstreamSecret } },
    );
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const expectError = (response: { statusCode: number; body: string; json: () => { error: Record<string, unknown> } }, status: number, code: string, param?: string) => {
    assert.equal(response.statusCode, status, response.body);
    const { error } = response.json();
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    assert.equal(typeof error.type, 'string');
    if (param !== undefined) assert.equal(error.param, param);
    assert.ok(!response.body.includes(upstreamSecret));
  };

  it('malformed JSON → 400 INVALID_JSON', async () => {
    const response = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      payload: '{"model": "gpt-test", "messages": [',
    });
    expectError(response, 400, 'INVALID_JSON');
  });

  it('a 10 MB body → 413 BODY_TOO_LARGE', async () => {
    const response = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] });
    expectError(response, 413, 'BODY_TOO_LARGE');
  });

  it('wrong types and unknown fields → 400 naming the field', async () => {
    expectError(await chat({ model: 'gpt-test', messages: 'hello' }), 400, 'INVALID_REQUEST', 'messages');
    expectError(await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }), 400, 'INVALID_REQUEST', 'temperature');
    expectError(await chat({ model: 'gpt-test', messages: [{ role: 'wizard', content: 'x' }] }), 400, 'INVALID_REQUEST', 'messages[0].role');
    expectError(await chat({ messages: [{ role: 'user', content: 'x' }] }), 400, 'INVALID_REQUEST', 'model');
    const unknown = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }], tempratur: 1 });
    expectError(unknown, 400, 'INVALID_REQUEST', 'tempratur');
    assert.match(unknown.json().error.message, /Unrecognized request argument supplied: tempratur/);
  });

  it('unknown model → 404, missing key → 401, bad key → 401, unknown route → 404', async () => {
    expectError(await chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), 404, 'MODEL_NOT_FOUND', 'model');
    const missing = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'gpt-test', messages: [] } });
    expectError(missing, 401, 'MISSING_API_KEY');
    expectError(await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }, { authorization: 'Bearer bw_wrong' }), 401, 'INVALID_API_KEY');
    expectError(await test.server.inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'NOT_FOUND');
  });

  it('an upstream that hangs → 504 after the deployment timeout', async () => {
    const response = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'hang' }] });
    expectError(response, 504, 'GATEWAY_UPSTREAM_TIMEOUT');
  });

  it('an upstream that sends half an SSE stream → the client gets an error event, not [DONE]', async () => {
    const response = await chat({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'half-stream' }] });
    assert.equal(response.statusCode, 200, response.body);
    const events = sseData(response.body);
    assert.equal(JSON.parse(events[0]!).choices[0].delta.content, 'partial ');
    const last = JSON.parse(events.at(-1)!);
    assert.equal(last.error.code, 'GATEWAY_UPSTREAM_STREAM_BROKEN');
    assert.ok(!events.includes('[DONE]'));
  });

  it('still serves normally afterwards and never logged the provider key or prompt text', async () => {
    const response = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'a secret question about payroll' }] });
    assert.equal(response.statusCode, 200);
    await test.app.ledgerWriter.flush();
    const logs = test.logs();
    assert.ok(logs.length > 0);
    assert.ok(!logs.includes(upstreamSecret));
    assert.ok(!logs.includes(key));
    assert.ok(!logs.includes('payroll'));
  });

  it("logs one JSON line per request with the request's id, route, status and time, and nothing of the body", async () => {
    const response = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'quarterly bonus figures' }] });
    const requestId = String(response.headers['x-request-id']);
    const lines = test
      .logs()
      .split('\n')
      .filter((line) => line.includes(requestId))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 1, `one line for request ${requestId}`);
    const { requestId: loggedId, method, url, status, ms, msg } = lines[0]!;
    assert.deepEqual({ loggedId, method, url, status, msg }, { loggedId: requestId, method: 'POST', url: '/v1/chat/completions', status: 200, msg: 'request' });
    assert.equal(typeof ms, 'number');
    assert.ok(!test.logs().includes('bonus'));
  });
});
