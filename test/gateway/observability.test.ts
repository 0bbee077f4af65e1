import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

describe('observability: metrics, traces, health', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const exporter = new InMemorySpanExporter();

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret }, spanProcessor: new SimpleSpanProcessor(exporter) });
    key = await test.key({ rpm: 2 });
    for (const content of ['one', 'two', 'three']) {
      await test.server.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(key),
        payload: { model: 'gpt-test', temperature: 0.3, messages: [{ role: 'user', content: `private ${content}` }] },
      });
    }
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('exports Prometheus metrics for requests, latency, tokens, cost, overhead and rejections', async () => {
    const response = await test.server.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    const text = response.body;
    assert.match(text, /breakwater_requests_total\{alias="gpt-test",deployment="upstream\/gpt-4o-mini",status="200",cache="miss"\} 2/);
    assert.match(text, /breakwater_request_duration_seconds_bucket\{le="\+Inf",alias="gpt-test",deployment="upstream\/gpt-4o-mini",status="200"\} 2/);
    assert.match(text, /breakwater_tokens_total\{alias="gpt-test",deployment="upstream\/gpt-4o-mini",direction="input"\} 22/);
    assert.match(text, /breakwater_cost_usd_total\{alias="gpt-test",deployment="upstream\/gpt-4o-mini"\} \d/);
    // The third call is refused at the HTTP edge, before its body is read: no model call, no overhead sample.
    assert.match(text, /breakwater_overhead_seconds_count 2/);
    assert.match(text, /breakwater_limit_rejections_total\{reason="rpm"\} 1/);
    assert.match(text, /breakwater_http_errors_total\{code="RATE_LIMIT_EXCEEDED"\} 1/);
    assert.match(text, /breakwater_circuit_state\{deployment="upstream\/gpt-4o-mini"\} 0/);
  });

  it('traces each call with GenAI semantic-convention attributes and no prompt text or secrets', async () => {
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'chat gpt-test');
    // The rate-limited third call never became a model call (refused before its body was read).
    assert.equal(spans.length, 2);
    const ok = spans.find((span) => span.attributes['gen_ai.usage.input_tokens'] === 11)!;
    assert.equal(ok.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(ok.attributes['gen_ai.request.model'], 'gpt-test');
    assert.equal(ok.attributes['gen_ai.response.model'], 'gpt-4o-mini');
    assert.equal(ok.attributes['gen_ai.provider.name'], 'upstream');
    assert.equal(ok.attributes['gen_ai.usage.output_tokens'], 7);
    assert.equal(ok.attributes['gen_ai.request.temperature'], 0.3);
    assert.deepEqual(ok.attributes['gen_ai.response.finish_reasons'], ['stop']);
    const everything = JSON.stringify(spans.map((span) => span.attributes));
    for (const secret of [upstreamSecret, key, 'private']) assert.ok(!everything.includes(secret), `span attributes must not contain ${secret}`);
  });

  it('answers /healthz and /readyz', async () => {
    assert.deepEqual((await test.server.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await test.server.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
  });
});
