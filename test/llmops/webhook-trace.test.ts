import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { untilJobEnds } from '../support/jobs.js';
import { bearer, mockModelConfig, startTestApp, type TestApp, waitFor } from '../support/test-app.js';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const callerSpanId = 'b7ad6b7169203331';

describe('webhook deliveries carry the W3C trace context of the job they announce', () => {
  const exporter = new InMemorySpanExporter();
  let test: TestApp;
  let key: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  before(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const manifest = examplePipelines('mock')['delivery-manifest']!;
    test = await startTestApp(
      {
        providers: { ...mockModelConfig.providers, down: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', apiKey: { env: 'DOWN_KEY' } } },
        models: { ...mockModelConfig.models, down: { deployments: [{ provider: 'down', model: 'gone', retries: 0 }] } },
        pipelines: { manifest: { ...manifest, model: 'mock' } },
        webhooks: { secrets: [{ env: 'WEBHOOK_SECRET' }], allow: ['127.0.0.1'], retryBaseMs: 20, pollMs: 20 },
      },
      { spanProcessor: new SimpleSpanProcessor(exporter), env: { WEBHOOK_SECRET: 'whsec-test-0123456789abcdef', DOWN_KEY: 'sk-down' } },
    );
    key = await test.key();
  });
  after(async () => {
    await test.close();
    receiver.close();
  });

  it("sends traceparent of a CLIENT span in the job's trace, under the worker's completion span", async () => {
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer(key), traceparent: `00-${traceId}-${callerSpanId}-01` },
      payload: {
        kind: 'pipeline',
        pipeline: 'manifest',
        text: 'Shipment SHP-7 from Oslo to Bergen by DHL, 2 pallets, 40 kg',
        webhook: { url: receiverUrl },
      },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    await waitFor(async () => received.length >= 1 && exporter.getFinishedSpans().some((span) => span.name === 'POST'));

    const delivery = received.find((hook) => JSON.parse(hook.body).type === 'job.succeeded');
    assert.ok(delivery, `a job.succeeded delivery; got ${received.map((hook) => JSON.parse(hook.body).type).join(', ')}`);
    const traceparent = String(delivery.headers.traceparent);
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent);
    assert.ok(match, `a W3C traceparent header; got ${traceparent}`);
    assert.equal(match[1], traceId, "the delivery belongs to the job's trace (the caller's)");

    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const send = spans.find((span) => span.name === 'POST' && span.spanContext().spanId === match[2]);
    assert.ok(send, "the header's span id is the delivery's CLIENT span, exported in the trace");
    assert.equal(send.kind, SpanKind.CLIENT);
    assert.equal(send.attributes['breakwater.job.id'], job.id);
    assert.equal(send.attributes['http.response.status_code'], 204);
    const completion = spans.find((span) => span.spanContext().spanId === send.parentSpanContext?.spanId);
    assert.ok(completion, 'the delivery span has a parent in the trace');
    assert.match(completion.name, /^(write record|complete job)$/, 'written in the completion, under the job span');
    const process = spans.find((span) => span.name === 'process pipeline jobs')!;
    assert.equal(completion.parentSpanContext?.spanId, process.spanContext().spanId);
  });

  it('a job submitted without traceparent: its delivery is in the trace its HTTP server span started', async () => {
    received.length = 0;
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer(key),
      payload: { kind: 'pipeline', pipeline: 'manifest', text: 'Shipment SHP-8 from Oslo to Bergen by DHL', webhook: { url: receiverUrl } },
    });
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    await waitFor(async () => received.some((hook) => JSON.parse(hook.body).data?.id === job.id));
    const traceparent = String(received.find((hook) => JSON.parse(hook.body).data?.id === job.id)!.headers.traceparent);
    const process = exporter.getFinishedSpans().find((span) => span.name === 'process pipeline jobs' && span.attributes['messaging.message.id'] === job.id)!;
    assert.equal(traceparent.split('-')[1], process.spanContext().traceId, 'the server span started the trace; the delivery is in it');
  });

  it('a job that fails: its job.failed delivery continues the trace that submitted it, under the job span', async () => {
    received.length = 0;
    const failedTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer(key), traceparent: `00-${failedTraceId}-${callerSpanId}-01` },
      payload: { kind: 'chat', request: { model: 'down', messages: [{ role: 'user', content: 'Hello' }] }, max_attempts: 1, webhook: { url: receiverUrl } },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    assert.equal(job.status, 'failed');
    await waitFor(async () => received.some((hook) => JSON.parse(hook.body).type === 'job.failed'));
    const traceparent = String(received.find((hook) => JSON.parse(hook.body).type === 'job.failed')!.headers.traceparent);
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent);
    assert.ok(match, `a W3C traceparent header on job.failed; got ${traceparent}`);
    assert.equal(match[1], failedTraceId, "the delivery belongs to the job's trace (the caller's)");
    await waitFor(async () => exporter.getFinishedSpans().some((span) => span.spanContext().spanId === match[2]));
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === failedTraceId);
    const send = spans.find((span) => span.spanContext().spanId === match[2])!;
    const process = spans.find((span) => span.name === 'process chat jobs');
    assert.ok(process, 'the failed run has its job span');
    assert.equal(send.parentSpanContext?.spanId, process.spanContext().spanId, 'the delivery hangs under the failed run');
  });
});
