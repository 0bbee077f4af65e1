import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { untilJobEnds } from '../support/jobs.js';
import { bearer, mockModelConfig, startTestApp, type TestApp, waitFor } from '../support/test-app.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerSpanId = '00f067aa0ba902b7';

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('traces end to end (embedded): one trace from POST /v1/jobs through the worker to the provider call and the record write', () => {
  const exporter = new InMemorySpanExporter();
  let test: TestApp;
  let key: string;
  before(async () => {
    const manifest = examplePipelines('mock')['delivery-manifest']!;
    test = await startTestApp({ ...mockModelConfig, pipelines: { manifest: { ...manifest, model: 'mock' } } }, { spanProcessor: new SimpleSpanProcessor(exporter) });
    key = await test.key();
  });
  after(() => test.close());

  it('continues the caller traceparent: HTTP server → send job → process job → steps, gen_ai call, record write', async () => {
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer(key), traceparent: `00-${traceId}-${callerSpanId}-01` },
      payload: { kind: 'pipeline', pipeline: 'manifest', text: 'Shipment SHP-1 from Oslo to Bergen by DHL, 2 pallets, 40 kg' },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    await waitFor(async () => exporter.getFinishedSpans().some((span) => span.name === 'process pipeline jobs'));

    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const named = (name: string) => {
      const found = spans.filter((span) => span.name === name);
      assert.ok(found.length > 0, `a span "${name}" in the trace; got ${spans.map((span) => span.name).join(', ')}`);
      return found[0]!;
    };
    const server = named('POST /v1/jobs');
    assert.equal(server.kind, SpanKind.SERVER);
    assert.equal(parentOf(server), callerSpanId, "the server span's parent is the caller's span");
    assert.equal(server.attributes['http.response.status_code'], 202);
    const send = named('send pipeline jobs');
    assert.equal(send.kind, SpanKind.PRODUCER);
    assert.equal(parentOf(send), server.spanContext().spanId);
    const process = named('process pipeline jobs');
    assert.equal(process.kind, SpanKind.CONSUMER);
    assert.equal(parentOf(process), send.spanContext().spanId, 'the worker continues the context stored with the job');
    assert.equal(process.attributes['messaging.message.id'], job.id);
    const reading = named('step reading document');
    assert.equal(parentOf(reading), process.spanContext().spanId);
    const modelCall = named('chat mock');
    assert.equal(modelCall.kind, SpanKind.CLIENT);
    assert.equal(parentOf(modelCall), process.spanContext().spanId);
    assert.equal(modelCall.attributes['gen_ai.operation.name'], 'chat');
    const write = named('write record');
    assert.equal(parentOf(write), process.spanContext().spanId);
    assert.ok(write.endTime[0] * 1e9 + write.endTime[1] <= process.endTime[0] * 1e9 + process.endTime[1]);
  });

  it('puts the gateway span of a chat request under its HTTP server span', async () => {
    exporter.reset();
    const response = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(key),
      payload: { model: 'mock', messages: [{ role: 'user', content: 'hello' }] },
    });
    assert.equal(response.statusCode, 200);
    await waitFor(async () => exporter.getFinishedSpans().some((span) => span.name === 'chat mock'));
    const server = exporter.getFinishedSpans().find((span) => span.name === 'POST /v1/chat/completions')!;
    const call = exporter.getFinishedSpans().find((span) => span.name === 'chat mock')!;
    assert.equal(call.spanContext().traceId, server.spanContext().traceId);
    assert.equal(parentOf(call), server.spanContext().spanId);
  });
});
