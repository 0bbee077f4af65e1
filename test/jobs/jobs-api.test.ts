import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { textCompletion } from '../support/scripted-answers.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { submitJob, untilJobEnds } from '../support/jobs.js';

const chatJob = (content: string, extra: Record<string, unknown> = {}) => ({
  kind: 'chat',
  request: { model: 'gpt-test', messages: [{ role: 'user', content }] },
  ...extra,
});

const validInvoice = {
  invoice_number: 'INV-7',
  issue_date: '2026-03-01',
  vendor: { name: 'Acme Ltd' },
  currency: 'EUR',
  total: 120.5,
  line_items: [{ description: 'Widgets', quantity: 2, amount: 120.5 }],
};

describe('jobs API (embedded: SQLite queue, in-process worker)', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  let otherTenantKey: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      jobs: { retryBaseMs: 10, retryMaxMs: 50, pollMs: 50, recoverMs: 100, maxQueuedPerTenant: 5 },
      pipelines: {
        invoice: {
          model: 'gpt-test',
          prompt: { version: 1, template: 'Extract the invoice:\n{{document}}' },
          schema: invoiceSchema(),
          extraction: { maxAttempts: 2 },
        },
      },
    });
    key = await test.key();
    otherTenantKey = await test.key({ name: 'other' });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.script = undefined;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('accepts a chat job with 202 and links, runs it through the gateway, and streams its lifecycle', async () => {
    const submitted = await submitJob(test, key, chatJob('hello from a job'));
    assert.equal(submitted.statusCode, 202);
    const job = submitted.json();
    assert.match(job.id, /^job_/);
    assert.equal(job.status, 'queued');
    assert.deepEqual(job.links, { self: `/v1/jobs/${job.id}`, events: `/v1/jobs/${job.id}/events`, cancel: `/v1/jobs/${job.id}/cancel` });
    assert.equal(submitted.headers.location, `/v1/jobs/${job.id}`);

    const { events, job: done } = await untilJobEnds(test, key, job.id);
    assert.deepEqual(
      events.map((event) => event.event),
      ['job-queued', 'job-start', 'job-end'],
    );
    assert.deepEqual(
      events.map((event) => event.id),
      [1, 2, 3],
    );
    assert.equal(done.status, 'succeeded');
    assert.equal(done.result.choices[0].message.content, 'echo: hello from a job');
    assert.equal(upstream.chatRequests().length, 1, 'one upstream call');
  });

  it('resumes the event stream after Last-Event-ID', async () => {
    const job = (await submitJob(test, key, chatJob('resume me'))).json();
    await untilJobEnds(test, key, job.id);
    const { events } = await untilJobEnds(test, key, job.id, 1);
    assert.deepEqual(
      events.map((event) => event.id),
      [2, 3],
    );
  });

  it('returns the same job for the same Idempotency-Key, and refuses the key with another body', async () => {
    const first = await submitJob(test, key, chatJob('once only'), { 'idempotency-key': 'order-42' });
    const again = await submitJob(test, key, chatJob('once only'), { 'idempotency-key': 'order-42' });
    assert.equal(first.statusCode, 202);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, first.json().id);
    const other = await submitJob(test, key, chatJob('something else'), { 'idempotency-key': 'order-42' });
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().error.code, 'IDEMPOTENCY_KEY_REUSED');
    const otherTenant = await submitJob(test, otherTenantKey, chatJob('once only'), { 'idempotency-key': 'order-42' });
    assert.equal(otherTenant.statusCode, 202, 'idempotency keys are per tenant');
    await untilJobEnds(test, key, first.json().id);
    await untilJobEnds(test, otherTenantKey, otherTenant.json().id);
    assert.equal(upstream.chatRequests().filter((request) => JSON.stringify(request.body).includes('once only')).length, 2);
  });

  it('hides jobs from other tenants', async () => {
    const job = (await submitJob(test, key, chatJob('private'))).json();
    const peek = await test.server.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers: bearer(otherTenantKey) });
    assert.equal(peek.statusCode, 404);
    assert.equal(peek.json().error.code, 'JOB_NOT_FOUND');
    const events = await test.server.inject({ method: 'GET', url: `/v1/jobs/${job.id}/events`, headers: bearer(otherTenantKey) });
    assert.equal(events.statusCode, 404);
    const cancel = await test.server.inject({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, headers: bearer(otherTenantKey) });
    assert.equal(cancel.statusCode, 404);
    const list = (await test.server.inject({ method: 'GET', url: '/v1/jobs?limit=100', headers: bearer(otherTenantKey) })).json();
    assert.ok(!list.data.some((listed: { id: string }) => listed.id === job.id));
    await untilJobEnds(test, key, job.id);
  });

  it('cancels a waiting job, which then never runs, and refuses to cancel it twice', async () => {
    const job = (await submitJob(test, key, chatJob('later', { delay_seconds: 3600 }))).json();
    const cancelled = await test.server.inject({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, headers: bearer(key) });
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json().status, 'cancelled');
    const { events } = await untilJobEnds(test, key, job.id);
    assert.deepEqual(
      events.map((event) => event.event),
      ['job-queued', 'job-cancel'],
    );
    const twice = await test.server.inject({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, headers: bearer(key) });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'JOB_NOT_CANCELLABLE');
    assert.equal((await test.app.queue.depth()).delayed, 0, 'the queue item is gone');
  });

  it('retries a cancelled job as a new job with the same input that runs to its end; refuses an unfinished job and another tenant', async () => {
    const original = (await submitJob(test, key, chatJob('run me again', { delay_seconds: 3600, metadata: { ticket: 't-9' } }))).json();
    const early = await test.server.inject({ method: 'POST', url: `/v1/jobs/${original.id}/retry`, headers: bearer(key) });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'JOB_NOT_RETRYABLE');
    await test.server.inject({ method: 'POST', url: `/v1/jobs/${original.id}/cancel`, headers: bearer(key) });

    const foreign = await test.server.inject({ method: 'POST', url: `/v1/jobs/${original.id}/retry`, headers: bearer(otherTenantKey) });
    assert.equal(foreign.statusCode, 404);
    const retried = await test.server.inject({ method: 'POST', url: `/v1/jobs/${original.id}/retry`, headers: bearer(key) });
    assert.equal(retried.statusCode, 201, retried.body);
    const copy = retried.json();
    assert.notEqual(copy.id, original.id);
    assert.deepEqual(copy.metadata, { ticket: 't-9', retry_of: original.id });
    const { job } = await untilJobEnds(test, key, copy.id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job).slice(0, 300));
    const sent = upstream.requests.map((request) => JSON.stringify(request.body));
    assert.ok(
      sent.some((body) => body.includes('run me again')),
      'the retry sent the original input upstream',
    );
    assert.equal((await untilJobEnds(test, key, original.id)).job.status, 'cancelled', 'the original stays as it ended');
    const again = await test.server.inject({ method: 'POST', url: `/v1/jobs/${copy.id}/retry`, headers: bearer(key) });
    assert.equal(again.json().error.code, 'JOB_NOT_RETRYABLE', 'a succeeded job is not retried');
  });

  it('caps queued jobs per tenant with 429 QUEUE_FULL and Retry-After', async () => {
    const capKey = await test.key({ name: 'cap' });
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push((await submitJob(test, capKey, chatJob(`queued ${index}`, { delay_seconds: 3600 }), { 'idempotency-key': `cap-${index}` })).json().id);
    }
    const refused = await submitJob(test, capKey, chatJob('one too many', { delay_seconds: 3600 }));
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, 'QUEUE_FULL');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    const replay = await submitJob(test, capKey, chatJob('queued 0', { delay_seconds: 3600 }), { 'idempotency-key': 'cap-0' });
    assert.equal(replay.statusCode, 200, 'a replay of an accepted job is answered even when the queue is full');
    assert.equal(replay.json().id, ids[0]);
    const otherKey = await test.key({ name: 'not capped' });
    const otherTenant = await submitJob(test, otherKey, chatJob('another tenant is not capped', { delay_seconds: 3600 }));
    assert.equal(otherTenant.statusCode, 202);
    await test.server.inject({ method: 'POST', url: `/v1/jobs/${ids[0]}/cancel`, headers: bearer(capKey) });
    const freed = await submitJob(test, capKey, chatJob('room again', { delay_seconds: 3600 }));
    assert.equal(freed.statusCode, 202, 'a cancelled job frees its place at once');
    for (const id of [...ids.slice(1), freed.json().id]) await test.server.inject({ method: 'POST', url: `/v1/jobs/${id}/cancel`, headers: bearer(capKey) });
    await test.server.inject({ method: 'POST', url: `/v1/jobs/${otherTenant.json().id}/cancel`, headers: bearer(otherKey) });
  });

  it('retries a retryable upstream failure with backoff, and records the attempt', async () => {
    upstream.script = (_request, response, index) => {
      if (index === 0) {
        sendJson(response, 500, { error: { message: 'upstream exploded', type: 'server_error' } });
        return true;
      }
      return false;
    };
    const job = (await submitJob(test, key, chatJob('flaky'))).json();
    const { events, job: done } = await untilJobEnds(test, key, job.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 2);
    const retry = events.find((event) => event.event === 'job-retry');
    assert.ok(retry, 'a job-retry event');
    assert.equal((retry.data.error as { code: string }).code, 'GATEWAY_UPSTREAM_ERROR');
  });

  it('fails a job at once on a non-retryable error (budget) without calling the model', async () => {
    const broke = await test.key({ name: 'broke', budget: { usd: 0.000001, period: 'total' } });
    const job = (await submitJob(test, broke, chatJob('too expensive'))).json();
    const { job: done } = await untilJobEnds(test, broke, job.id);
    assert.equal(done.status, 'failed');
    assert.equal(done.error.code, 'BUDGET_EXCEEDED');
    assert.equal(done.attempts, 1);
    assert.equal(upstream.chatRequests().length, 0);
  });

  it('refuses unknown models, forbidden models and bad bodies at submission, naming the field', async () => {
    const unknown = await submitJob(test, key, { kind: 'chat', request: { model: 'nope', messages: [{ role: 'user', content: 'x' }] } });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'MODEL_NOT_FOUND');
    const limited = await test.key({ name: 'limited', allowedModels: ['other'] });
    assert.equal((await submitJob(test, limited, chatJob('x'))).statusCode, 403);
    const wrongKind = await submitJob(test, key, { kind: 'banana' });
    assert.equal(wrongKind.statusCode, 400);
    assert.equal(wrongKind.json().error.param, 'kind');
    const unknownField = await submitJob(test, key, { ...chatJob('x'), colour: 'red' });
    assert.equal(unknownField.statusCode, 400);
    assert.equal(unknownField.json().error.param, 'colour');
    const noPipeline = await submitJob(test, key, { kind: 'pipeline', pipeline: 'nope', text: 'x' });
    assert.equal(noPipeline.json().error.code, 'PIPELINE_NOT_FOUND');
  });

  it('extracts a pipeline record that matches the schema, with provenance, readable over HTTP', async () => {
    upstream.script = (request, response) => {
      sendJson(response, 200, textCompletion(request, JSON.stringify(validInvoice)));
      return true;
    };
    const job = (await submitJob(test, key, { kind: 'pipeline', pipeline: 'invoice', text: 'Invoice INV-7 from Acme Ltd, total EUR 120.50' })).json();
    const { events, job: done } = await untilJobEnds(test, key, job.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const steps = events.filter((event) => event.event === 'job-progress').map((event) => event.data.step);
    assert.deepEqual(steps, ['reading document', 'extracting fields', 'validating', 'saving record']);
    const sent = upstream.chatRequests()[0]!.body as { response_format: { type: string; json_schema: { strict: boolean } } };
    assert.equal(sent.response_format.type, 'json_schema', 'native structured output where the provider has it');
    assert.equal(sent.response_format.json_schema.strict, true);
    const records = (await test.server.inject({ method: 'GET', url: '/v1/pipelines/invoice/records', headers: bearer(key) })).json();
    const record = records.data.find((candidate: { provenance: { job_id: string } }) => candidate.provenance.job_id === job.id);
    assert.deepEqual(record.data, validInvoice);
    assert.equal(record.provenance.prompt_version, 1);
    assert.equal(record.provenance.deployment, 'upstream/gpt-4o-mini');
    assert.equal(record.provenance.attempts, 1);
    assert.equal(record.provenance.input_tokens, 11);
    const hidden = (await test.server.inject({ method: 'GET', url: '/v1/pipelines/invoice/records', headers: bearer(otherTenantKey) })).json();
    assert.equal(hidden.data.length, 0, 'records belong to the tenant');
  });

  it('re-asks with the validation errors, and never writes an invalid record', async () => {
    upstream.script = (request, response) => {
      sendJson(response, 200, textCompletion(request, JSON.stringify({ ...validInvoice, total: '120,50 EUR' })));
      return true;
    };
    const job = (await submitJob(test, key, { kind: 'pipeline', pipeline: 'invoice', text: 'Invoice INV-8' })).json();
    const { job: done } = await untilJobEnds(test, key, job.id);
    assert.equal(done.status, 'failed');
    assert.equal(done.error.code, 'EXTRACTION_FAILED');
    assert.equal(done.attempts, 1, 'not retried: the same input would fail again');
    assert.match(done.error.details.raw_output, /120,50 EUR/);
    assert.ok(done.error.details.validation_errors.some((issue: { path: string }) => issue.path === '/total'));
    assert.equal(upstream.chatRequests().length, 2, 'maxAttempts 2: one ask, one re-ask');
    const reask = JSON.stringify(upstream.chatRequests()[1]!.body.messages);
    assert.match(reask, /\/total/, 'the re-ask names the invalid field');
    const records = (await test.server.inject({ method: 'GET', url: '/v1/pipelines/invoice/records?limit=100', headers: bearer(key) })).json();
    assert.ok(!records.data.some((record: { provenance: { job_id: string } }) => record.provenance.job_id === job.id));
  });

  it('reads documents (PDF) and fails a corrupt one with DOCUMENT_UNREADABLE, without calling the model', async () => {
    upstream.script = (request, response) => {
      sendJson(response, 200, textCompletion(request, JSON.stringify(validInvoice)));
      return true;
    };
    const pdf = readFileSync(new URL('../../samples/invoices/kyoto-supplies-2026-117.pdf', import.meta.url));
    const good = (await submitJob(test, key, { kind: 'pipeline', pipeline: 'invoice', document: { name: 'kyoto.pdf', data: pdf.toString('base64') } })).json();
    assert.equal(good.source, 'kyoto.pdf');
    const { job: done } = await untilJobEnds(test, key, good.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const prompt = JSON.stringify(upstream.chatRequests()[0]!.body.messages);
    assert.match(prompt, /Kyoto/i, 'the PDF text layer reached the prompt');

    upstream.requests.length = 0;
    const broken = readFileSync(new URL('../../samples/corrupt/broken-invoice.pdf', import.meta.url));
    const bad = (await submitJob(test, key, { kind: 'pipeline', pipeline: 'invoice', document: { name: 'broken.pdf', data: broken.toString('base64') } })).json();
    const { job: failed } = await untilJobEnds(test, key, bad.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'DOCUMENT_UNREADABLE');
    assert.match(failed.error.message, /broken\.pdf/);
    assert.equal(upstream.chatRequests().length, 0);
  });

  it('lists jobs newest first with a cursor and filters', async () => {
    const listKey = await test.key({ name: 'lister' });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await submitJob(test, listKey, chatJob(`list ${index}`, { delay_seconds: 3600 }))).json().id);
    const metrics = (await test.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /breakwater_queue_depth\{state="delayed"\} 3\b/, 'the queue depth is exported for autoscaling');
    const first = (await test.server.inject({ method: 'GET', url: '/v1/jobs?limit=2&status=queued', headers: bearer(listKey) })).json();
    assert.deepEqual(
      first.data.map((job: { id: string }) => job.id),
      [ids[2], ids[1]],
    );
    assert.equal(first.has_more, true);
    const second = (await test.server.inject({ method: 'GET', url: `/v1/jobs?limit=2&status=queued&cursor=${first.next_cursor}`, headers: bearer(listKey) })).json();
    assert.deepEqual(
      second.data.map((job: { id: string }) => job.id),
      [ids[0]],
    );
    assert.equal(second.has_more, false);
    for (const id of ids) await test.server.inject({ method: 'POST', url: `/v1/jobs/${id}/cancel`, headers: bearer(listKey) });
  });
});

function invoiceSchema(): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['invoice_number', 'issue_date', 'vendor', 'currency', 'total', 'line_items'],
    properties: {
      invoice_number: { type: 'string' },
      issue_date: { type: 'string', format: 'date' },
      vendor: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      total: { type: 'number', minimum: 0 },
      line_items: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['description', 'quantity', 'amount'],
          properties: { description: { type: 'string' }, quantity: { type: 'number' }, amount: { type: 'number' } },
        },
      },
    },
  };
}
