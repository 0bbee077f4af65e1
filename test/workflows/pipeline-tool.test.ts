import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { textCompletion } from '../support/scripted-answers.js';
import { bearer, startTestApp, type TestApp, upstreamConfig, waitFor } from '../support/test-app.js';

const invoiceSchema = {
  type: 'object',
  properties: { vendor: { type: 'string' }, total: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
  required: ['vendor', 'total', 'currency'],
  additionalProperties: false,
};

/** A pipeline as a workflow tool: extraction with its schema, validation and re-ask, through the gateway as the run's key. */
describe('workflow pipeline tools (embedded)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-pipeline-tool-'));
  let test: TestApp;
  let upstream: OpenAIUpstream;
  let key: string;
  /** The model's answers, in order: first an invalid record (currency not in the enum), then a valid one. */
  const answers = ['{"vendor":"Acme","total":1250,"currency":"DKK"}', '{"vendor":"Acme","total":1250,"currency":"EUR"}'];
  const prompts: string[] = [];

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response, index) => {
      prompts.push(JSON.stringify((request.body as { messages: unknown }).messages));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(textCompletion(request, answers[Math.min(index, answers.length - 1)]!)));
      return true;
    });
    const file = join(folder, 'intake.yaml');
    writeFileSync(
      file,
      `name: intake
version: 1
initial: extract
tools:
  read_invoice:
    pipeline: { name: invoice }
    args: { type: object, properties: { text: { type: string } }, required: [text] }
    result: { type: object, properties: { record: { type: object } }, required: [record] }
states:
  extract:
    call:
      tool: read_invoice
      args: { text: { $ref: /context/input/text } }
      assign: invoice
      next: [{ when: { path: /context/invoice/record/total, gt: 1000 }, to: review }, { when: { path: /context/invoice/record/total, lte: 1000 }, to: booked }]
  review: { final: succeeded }
  booked: { final: succeeded }
`,
    );
    test = await startTestApp(
      upstreamConfig(upstream.url, {
        pipelines: {
          invoice: {
            model: 'gpt-test',
            prompt: { version: 3, system: 'Extract the invoice as JSON.', template: 'Invoice ({{filename}}):\n{{document}}' },
            schema: invoiceSchema,
            extraction: { strategy: 'prompt', maxAttempts: 3 },
            sinks: [{ type: 'store' }],
          },
        },
        workflows: { files: [file] },
        jobs: { pollMs: 50 },
      }),
      { env: { UPSTREAM_KEY: 'sk-test' } },
    );
    key = await test.key();
  });
  after(async () => {
    await test?.close();
    await upstream?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs the pipeline on the input text: the invalid answer is re-asked, the valid record lands in the context and routes the run', async () => {
    const started = await test.server.inject({
      method: 'POST',
      url: '/v1/workflows/intake/runs',
      headers: bearer(key),
      payload: { input: { text: 'ACME GmbH — total due EUR 1,250.00' } },
    });
    assert.equal(started.statusCode, 202);
    const id = started.json().id as string;
    const run = async () => (await test.server.inject({ method: 'GET', url: `/v1/workflow-runs/${id}`, headers: bearer(key) })).json();
    await waitFor(async () => ['succeeded', 'failed'].includes((await run()).status));
    const done = await run();
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.state, 'review', 'the record routed the run');
    assert.deepEqual(done.context.invoice, { record: { vendor: 'Acme', total: 1250, currency: 'EUR' }, prompt_version: 3, extraction_attempts: 2 });
    assert.equal(prompts.length, 2, 'the invalid record was re-asked once');
    assert.match(prompts[0]!, /ACME GmbH/, "the pipeline's template carried the document");
    const journal = (await test.server.inject({ method: 'GET', url: `/v1/workflow-runs/${id}/journal`, headers: bearer(key) })).json().data as Array<{
      kind: string;
      output: unknown;
    }>;
    const result = journal.find((entry) => entry.kind === 'tool-result');
    assert.ok(result, 'a tool-result entry');
    assert.deepEqual((result.output as { result: { record: unknown } }).result.record, { vendor: 'Acme', total: 1250, currency: 'EUR' });
    // The pipeline ran as the run's key, through the gateway: its usage is in the key's ledger.
    const usage = await test.server.inject({ method: 'GET', url: '/v1/usage', headers: bearer(key) });
    assert.equal(usage.statusCode, 200);
    assert.match(usage.body, /gpt-test|gpt-4o-mini/);
  });

  it('refuses to start with a pipeline tool whose pipeline is not configured', async () => {
    const file = join(folder, 'broken.yaml');
    writeFileSync(
      file,
      `name: broken
version: 1
initial: x
tools:
  t: { pipeline: { name: nowhere }, args: { type: object }, result: { type: object } }
states:
  x: { call: { tool: t, args: { text: a }, next: done } }
  done: { final: succeeded }
`,
    );
    await assert.rejects(startTestApp(upstreamConfig(upstream.url, { workflows: { files: [file] } }), { env: { UPSTREAM_KEY: 'sk-test' } }), (error: Error) =>
      /tool t runs pipeline "nowhere", which is not under pipelines/.test(error.message),
    );
  });
});
