import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { answer, OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { submitJob, untilJobEnds } from '../support/jobs.js';
import { bearer, sseData, startTestApp, type TestApp } from '../support/test-app.js';

/*
 * The structured-call cascade of an `auto` alias through the HTTP server and a real upstream on
 * port 0, whose small model answers prompts that mention "ledger" with JSON that breaks the schema.
 */
const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, nights: { type: 'integer', minimum: 1 } },
  required: ['city', 'nights'],
  additionalProperties: false,
};
const structured = { type: 'json_schema', json_schema: { name: 'booking', schema, strict: true } };
// Upstream usage is 11 prompt and 7 completion tokens per answer; prices are USD per 1M tokens.
const smallCost = (1 * 11 + 2 * 7) / 1e6;
const largeCost = (10 * 11 + 20 * 7) / 1e6;

describe('structured cascade: small tier first, large on a schema failure', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  const chat = (payload: Record<string, unknown>, headers: Record<string, string> = {}, secret = key) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(secret), 'cache-control': 'no-store', ...headers }, payload });
  const booking = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'auto', messages: [{ role: 'user', content }], response_format: structured, ...extra });
  const models = () => upstream.chatRequests().map((request) => request.body.model);
  const ledgerRow = async (requestId: string) => {
    await test.app.ledgerWriter.flush();
    const database = new Database(join(test.folder, 'breakwater.db'), { readonly: true });
    try {
      return database
        .prepare('SELECT route_tier AS tier, deployment, cost_nanos AS cost, cascade, cascade_first_cost_nanos AS firstCost, input_tokens AS input FROM usage WHERE request_id = ?')
        .get(requestId) as { tier: string; deployment: string; cost: number; cascade: number | null; firstCost: number | null; input: number };
    } finally {
      database.close();
    }
  };

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        mini: { deployments: [{ provider: 'upstream', model: 'small-model', retries: 0, price: { input: 1, output: 2 } }] },
        big: { deployments: [{ provider: 'upstream', model: 'large-model', retries: 0, price: { input: 10, output: 20 } }] },
      },
      autoRoutes: {
        auto: {
          tiers: [
            { name: 'small', alias: 'mini' },
            { name: 'large', alias: 'big' },
          ],
        },
        'auto-plain': {
          tiers: [
            { name: 'small', alias: 'mini' },
            { name: 'large', alias: 'big' },
          ],
          cascade: { structured: false },
        },
      },
      pipelines: {
        booking: { model: 'auto', prompt: { version: 1, template: 'Extract the booking:\n{{document}}' }, schema, extraction: { maxAttempts: 1 } },
      },
    });
    key = await test.key();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.script = (request, response) => {
      const messages = request.body.messages as Array<{ content: string }>;
      const prompt = messages.map((message) => message.content).join('\n');
      const broken = request.body.model === 'small-model' && prompt.includes('ledger');
      answer(request, response, broken ? '{"city": "Lyon", "nights": "two"}' : '{"city": "Lyon", "nights": 2}');
      return true;
    };
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('keeps the small answer when it validates: one upstream call at the small price', async () => {
    const response = await chat(booking('Two nights in Lyon, please.'));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(models(), ['small-model']);
    assert.equal(response.headers['x-breakwater-cascade'], 'answered; model=mini');
    assert.equal(response.headers['x-breakwater-route'], 'small; model=mini');
    const row = await ledgerRow(String(response.headers['x-request-id']));
    assert.equal(row.cascade, 0);
    assert.equal(row.firstCost, null);
    assert.equal(row.cost, Math.round(smallCost * 1e9));
  });

  it('escalates a schema failure to the large tier once; the caller gets the large answer and both attempts are charged', async () => {
    const response = await chat(booking('Two nights in Lyon, and note the ledger id.'));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(models(), ['small-model', 'large-model']);
    assert.deepEqual(JSON.parse(response.json().choices[0].message.content), { city: 'Lyon', nights: 2 });
    assert.equal(response.headers['x-breakwater-route'], 'large; model=big');
    assert.equal(response.headers['x-breakwater-deployment'], 'upstream/large-model');
    assert.equal(response.headers['x-breakwater-cascade'], `escalated; from=mini; first_cost_usd=${smallCost.toFixed(8)}`);
    assert.match(String(response.headers['x-breakwater-route-reason']), /cascade: the small answer failed the schema \(schema: \/nights must be integer\), escalated/);
    const row = await ledgerRow(String(response.headers['x-request-id']));
    assert.deepEqual(row, {
      tier: 'large',
      deployment: 'upstream/large-model',
      cost: Math.round((smallCost + largeCost) * 1e9),
      cascade: 1,
      firstCost: Math.round(smallCost * 1e9),
      input: 22,
    });
  });

  it("fails the call with the large tier's error when the escalation fails, still charging the small attempt", async () => {
    const scripted = upstream.script!;
    upstream.script = (request, response, index) =>
      request.body.model === 'large-model' ? (sendJson(response, 500, { error: { message: 'down' } }), true) : scripted(request, response, index);
    const response = await chat(booking('ledger: two nights in Lyon'));
    assert.equal(response.statusCode, 502);
    assert.deepEqual(models(), ['small-model', 'large-model']);
    const row = await ledgerRow(String(response.headers['x-request-id']));
    assert.equal(row.cascade, 1);
    assert.equal(row.firstCost, Math.round(smallCost * 1e9));
    assert.equal(row.cost, Math.round(smallCost * 1e9), 'the failed large attempt was not answered; the small one was');
  });

  it('leaves streams, calls without json_schema and aliases with the cascade off to the router', async () => {
    const streamed = await chat(booking('Two nights, ledger please.', { stream: true }));
    assert.equal(streamed.statusCode, 200);
    assert.equal(streamed.headers['x-breakwater-cascade'], undefined);
    const chunks = sseData(streamed.body)
      .filter((data) => data !== '[DONE]')
      .map((data) => JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> });
    assert.match(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), /"two"/, 'the small answer streams as it is');
    const plain = await chat({ model: 'auto', messages: [{ role: 'user', content: 'ledger, two nights' }], response_format: { type: 'json_object' } });
    const off = await chat({ ...booking('ledger, two nights'), model: 'auto-plain' });
    assert.equal(plain.headers['x-breakwater-cascade'], undefined);
    assert.equal(off.headers['x-breakwater-cascade'], undefined);
    assert.deepEqual(models(), ['small-model', 'small-model', 'small-model']);
  });

  it('sends a call the router gave the large tier straight there', async () => {
    const response = await chat(booking('ledger: two nights in Lyon'), { 'x-breakwater-route-hint': 'large' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(models(), ['large-model']);
    assert.equal(response.headers['x-breakwater-cascade'], undefined);
  });

  it('reserves budget for both attempts before the first call', async () => {
    // The small tier alone would reserve ~$0.00005 for this call; small plus large ~$0.00055.
    const tight = await test.key({ budget: { usd: 0.0003, period: 'total' } });
    const refused = await chat(booking('Two nights in Lyon.', { max_tokens: 10 }), {}, tight);
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.json().error.code, 'BUDGET_EXCEEDED');
    assert.deepEqual(models(), []);
    const unstructured = await chat({ model: 'auto', max_tokens: 10, messages: [{ role: 'user', content: 'Two nights in Lyon.' }] }, {}, tight);
    assert.equal(unstructured.statusCode, 200);
  });

  it('runs a pipeline on an auto alias through the same cascade', async () => {
    const submitted = await submitJob(test, key, { kind: 'pipeline', pipeline: 'booking', text: 'Guest: A. Martin, ledger 7781, two nights in Lyon.' });
    assert.equal(submitted.statusCode, 202, submitted.body);
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.deepEqual(job.result.record, { city: 'Lyon', nights: 2 });
    assert.deepEqual(models(), ['small-model', 'large-model']);
    assert.equal(job.result.cost_usd, smallCost + largeCost);
  });
});
