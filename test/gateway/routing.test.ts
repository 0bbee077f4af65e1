import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { bearer, sseData, startTestApp, type TestApp } from '../support/test-app.js';

describe('routing: fallbacks, retries, circuit breaker, load-balance', () => {
  let primary: OpenAIUpstream;
  let secondary: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const chat = (model: string, content: string, extra: Record<string, unknown> = {}) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'cache-control': 'no-store' },
      payload: { model, messages: [{ role: 'user', content }], ...extra },
    });

  before(async () => {
    primary = await OpenAIUpstream.start();
    secondary = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: {
        primary: { type: 'openai-compatible', baseUrl: primary.url },
        secondary: { type: 'openai-compatible', baseUrl: secondary.url },
      },
      models: {
        // One alias per test: breakers are per deployment, so tests must not share one.
        ...Object.fromEntries(
          ['chain', 'chain-429', 'chain-400', 'chain-down', 'chain-stream', 'chain-stream-retry'].map((alias) => [
            alias,
            {
              deployments: [
                { provider: 'primary', model: `p-${alias}`, retries: 1 },
                { provider: 'secondary', model: 's', retries: 0 },
              ],
            },
          ]),
        ),
        breakered: {
          deployments: [
            { provider: 'primary', model: 'b', retries: 0 },
            { provider: 'secondary', model: 's', retries: 0 },
          ],
        },
        'slow-stream': {
          deployments: [
            { provider: 'primary', model: 'slow', retries: 0, timeoutMs: 200 },
            { provider: 'secondary', model: 's', retries: 0 },
          ],
        },
        balanced: {
          strategy: 'loadbalance',
          deployments: [
            { provider: 'primary', model: 'lb', weight: 3 },
            { provider: 'secondary', model: 'lb', weight: 1 },
          ],
        },
      },
      routing: { backoffBaseMs: 1, backoffMaxMs: 5, breaker: { failureThreshold: 2, cooldownMs: 150 } },
    });
    key = await test.key();
  });
  afterEach(() => {
    primary.script = undefined;
    secondary.script = undefined;
    primary.requests.length = 0;
    secondary.requests.length = 0;
  });
  after(async () => {
    await test.close();
    await primary.close();
    await secondary.close();
  });

  it('retries a 5xx on the same deployment, then falls back to the next one', async () => {
    primary.script = (_request, response) => sendJson(response, 500, { error: { message: 'boom' } });
    const response = await chat('chain', 'hi');
    assert.equal(response.statusCode, 200);
    assert.equal(primary.requests.length, 2);
    assert.equal(secondary.requests.length, 1);
    assert.equal(response.headers['x-breakwater-attempts'], '3');
    assert.equal(response.headers['x-breakwater-deployment'], 'secondary/s');
  });

  it('honours Retry-After from a 429 and succeeds on the retry', async () => {
    primary.script = (_request, response, index) => (index === 0 ? sendJson(response, 429, { error: { message: 'slow down' } }, { 'retry-after': '0' }) : undefined);
    const response = await chat('chain-429', 'hi');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-breakwater-deployment'], 'primary/p-chain-429');
    assert.equal(response.headers['x-breakwater-attempts'], '2');
  });

  it('does not retry or fall back on a request the upstream rejects as invalid', async () => {
    primary.script = (_request, response) => sendJson(response, 400, { error: { message: 'context length exceeded' } });
    const response = await chat('chain-400', 'hi');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'UPSTREAM_INVALID_REQUEST');
    assert.match(response.json().error.message, /context length exceeded/);
    assert.equal(primary.requests.length + secondary.requests.length, 1);
  });

  it('when every deployment fails, answers 502 with the last upstream error', async () => {
    primary.script = (_request, response) => sendJson(response, 503, { error: { message: 'down' } });
    secondary.script = (_request, response) => sendJson(response, 500, { error: { message: 'also down' } });
    const response = await chat('chain-down', 'hi');
    assert.equal(response.statusCode, 502);
    assert.equal(response.json().error.code, 'GATEWAY_UPSTREAM_ERROR');
  });

  it('opens the breaker after repeated failures, skips the deployment, then probes and closes it', async () => {
    primary.script = (_request, response) => sendJson(response, 500, { error: { message: 'boom' } });
    await chat('breakered', 'one');
    await chat('breakered', 'two');
    assert.equal(primary.requests.length, 2);
    const skipped = await chat('breakered', 'three');
    assert.equal(skipped.statusCode, 200);
    assert.equal(primary.requests.length, 2, 'an open breaker sends nothing to the deployment');
    assert.equal(skipped.headers['x-breakwater-attempts'], '1');
    const metrics = await test.server.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /breakwater_circuit_state\{deployment="primary\/b"\} 2/);

    primary.script = undefined;
    const deadline = Date.now() + 2_000;
    let probe;
    do probe = await chat('breakered', 'probe');
    while (probe.headers['x-breakwater-deployment'] !== 'primary/b' && Date.now() < deadline);
    assert.equal(probe.headers['x-breakwater-deployment'], 'primary/b', 'after the cooldown a probe goes to the deployment and closes the breaker');
    const closed = await test.server.inject({ method: 'GET', url: '/metrics' });
    assert.match(closed.body, /breakwater_circuit_state\{deployment="primary\/b"\} 0/);
  });

  it('load-balances by weight', async () => {
    for (let index = 0; index < 200; index++) await chat('balanced', `q${index}`);
    const share = primary.requests.length / 200;
    assert.ok(share > 0.62 && share < 0.88, `primary got ${share} of the traffic, expected about 0.75`);
    assert.equal(primary.requests.length + secondary.requests.length, 200);
  });

  it('never retries once a streamed byte has reached the client', async () => {
    primary.script = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'p', choices: [{ index: 0, delta: { content: 'first ' }, finish_reason: null }] };
      response.write(`data: ${JSON.stringify(chunk)}\n\n`, () => response.destroy());
      return true;
    };
    const response = await chat('chain-stream', 'stream', { stream: true });
    const events = sseData(response.body);
    assert.equal(JSON.parse(events[0]!).choices[0].delta.content, 'first ');
    assert.equal(JSON.parse(events.at(-1)!).error.code, 'GATEWAY_UPSTREAM_STREAM_BROKEN');
    assert.equal(primary.requests.length, 1);
    assert.equal(secondary.requests.length, 0);
  });

  it('retries a stream that fails before its first byte', async () => {
    primary.script = (_request, response) => sendJson(response, 502, { error: { message: 'bad gateway' } });
    const response = await chat('chain-stream-retry', 'stream', { stream: true });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-breakwater-deployment'], 'secondary/s');
    assert.equal(sseData(response.body).at(-1), '[DONE]');
  });

  it('falls back when a stream sends headers but no first chunk within the deployment timeout', async () => {
    primary.script = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      return true;
    };
    const response = await chat('slow-stream', 'stream', { stream: true });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-breakwater-deployment'], 'secondary/s');
    assert.equal(response.headers['x-breakwater-attempts'], '2');
    assert.equal(sseData(response.body).at(-1), '[DONE]');
  });
});
