import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { untilJobEnds } from '../support/jobs.js';
import { answer, OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp, upstreamConfig, upstreamSecret } from '../support/test-app.js';

const kettle = `# AquaClear K5 kettle

## Descaling
Descale the kettle every four weeks in hard-water areas with equal parts white vinegar and water.

## Warranty
The kettle has a two-year warranty from the date of purchase.

## Keep-warm
Press the thermometer button twice to keep water at 80 degrees for thirty minutes.`;

const leave = `# Leave policy

## Annual leave
Full-time employees accrue 26 days of paid annual leave per calendar year.

## Sickness
From the fourth consecutive day of absence a doctor's note is required.`;

describe('collections API: ingest through the queue, hybrid search, cited answers', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  let chatReply = 'unused';

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (request.path.endsWith('/chat/completions')) {
        answer(request, response, chatReply);
        return true;
      }
      if (request.path.endsWith('/embeddings')) {
        // A 4-dimension "model": one axis per topic word, so similar texts get similar vectors.
        const inputs = request.body.input as string[];
        const axes = ['kettle', 'leave', 'warranty', 'descale'];
        const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: axes.map((word) => (text.toLowerCase().includes(word) ? 1 : 0.01)) }));
        sendJson(response, 200, { object: 'list', model: request.body.model, data, usage: { prompt_tokens: 5 * inputs.length, total_tokens: 5 * inputs.length } });
        return true;
      }
    });
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key({ tenant: 'acme' });
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const post = (url: string, body: unknown, secret = key) => test.server.inject({ method: 'POST', url, headers: bearer(secret), payload: body as Record<string, unknown> });
  const ingest = async (collection: string, documents: unknown[], secret = key) => {
    const submitted = await post(`/v1/collections/${collection}/documents`, { documents }, secret);
    assert.equal(submitted.statusCode, 202, submitted.body);
    const ended = await untilJobEnds(test, secret, submitted.json().id);
    assert.equal(ended.job.status, 'succeeded', JSON.stringify(ended.job.error));
    return ended;
  };
  const search = async (collection: string, query: string, secret = key, extra: Record<string, unknown> = {}) => {
    const response = await post(`/v1/collections/${collection}/search`, { query, ...extra }, secret);
    assert.equal(response.statusCode, 200, response.body);
    return response.json().data as Array<{ chunk_id: string; document: string; text: string; start: number; end: number; heading: string | null }>;
  };

  it('ingests as a job with named steps, finds the passage, and re-embeds only what changed', async () => {
    assert.equal((await post('/v1/collections', { name: 'manuals' })).statusCode, 201);
    const first = await ingest('manuals', [
      { name: 'kettle.md', text: kettle, metadata: { product: 'kettle' } },
      { name: 'leave.md', text: leave },
    ]);
    const steps = first.events.filter((event) => event.event === 'job-progress').map((event) => event.data.step);
    assert.deepEqual([...new Set(steps)], ['loading', 'chunking', 'embedding', 'indexing']);
    const created = first.job.result as { embedded_chunks: number; total_chunks: number };
    assert.ok(created.embedded_chunks >= 5 && created.embedded_chunks === created.total_chunks);

    const hits = await search('manuals', 'how often should I descale my kettle?');
    assert.equal(hits[0]?.document, 'kettle.md');
    assert.match(hits[0]!.text, /every four weeks/);
    assert.equal(kettle.slice(hits[0]!.start, hits[0]!.end), hits[0]!.text, 'offsets point into the document');
    assert.equal(hits[0]!.heading, 'Descaling');

    // One section changed, one unchanged document sent again.
    const changed = kettle.replace('two-year warranty', 'three-year warranty');
    const second = await ingest('manuals', [
      { name: 'kettle.md', text: changed, metadata: { product: 'kettle' } },
      { name: 'leave.md', text: leave },
    ]);
    const result = second.job.result as { documents: Array<{ name: string; status: string; embedded: number; removed: number }>; embedded_chunks: number };
    assert.deepEqual(
      result.documents.map((document) => [document.name, document.status, document.embedded, document.removed]),
      [
        ['kettle.md', 'indexed', 1, 1],
        ['leave.md', 'unchanged', 0, 0],
      ],
    );
    assert.match((await search('manuals', 'warranty length'))[0]!.text, /three-year/);
    assert.equal(
      (await search('manuals', 'two-year warranty')).some((hit) => hit.text.includes('two-year')),
      false,
    );

    // A deleted document's chunks are gone when its job ends.
    await ingest('manuals', [{ name: 'leave.md', delete: true }]);
    assert.equal(
      (await search('manuals', 'annual leave days sickness note')).some((hit) => hit.document === 'leave.md'),
      false,
    );
    const documents = (await test.server.inject({ method: 'GET', url: '/v1/collections/manuals/documents', headers: bearer(key) })).json().data;
    assert.deepEqual(
      documents.map((document: { name: string }) => document.name),
      ['kettle.md'],
    );
  });

  it('another tenant can neither read the collection nor find its chunks in a collection of the same name', async () => {
    const other = await test.key({ tenant: 'globex' });
    assert.equal((await post('/v1/collections', { name: 'private' })).statusCode, 201);
    await ingest('private', [{ name: 'secret.md', text: 'The merger codename is Heron and closes in March.' }]);
    const read = await test.server.inject({ method: 'GET', url: '/v1/collections/private', headers: bearer(other) });
    assert.equal(read.statusCode, 404);
    assert.equal(read.json().error.code, 'COLLECTION_NOT_FOUND');
    assert.equal((await post('/v1/collections/private/search', { query: 'merger codename' }, other)).json().error.code, 'COLLECTION_NOT_FOUND');
    assert.equal((await post('/v1/collections', { name: 'private' }, other)).statusCode, 201);
    await ingest('private', [{ name: 'public.md', text: 'Our public roadmap mentions no merger.' }], other);
    const hits = await search('private', 'merger codename Heron March', other);
    assert.deepEqual(
      hits.map((hit) => hit.document),
      ['public.md'],
    );
  });

  it('an access tag the key lacks hides its documents; a key holding it sees them', async () => {
    assert.equal((await post('/v1/collections', { name: 'handbook' })).statusCode, 201);
    await ingest('handbook', [
      { name: 'salaries.md', text: 'Salary bands for engineers are reviewed every April.', access_tags: ['hr'] },
      { name: 'onboarding.md', text: 'Engineers get a laptop on their first day.' },
    ]);
    const hr = await test.key({ tenant: 'acme', tags: { access: 'hr' } });
    const visible = async (secret: string) => (await search('handbook', 'salary bands engineers', secret)).map((hit) => hit.document).sort();
    assert.deepEqual(await visible(key), ['onboarding.md']);
    assert.deepEqual(await visible(hr), ['onboarding.md', 'salaries.md']);
  });

  it('a model embedder is called through the gateway in batches, and the ledger counts it for the key', async () => {
    const body = { name: 'modelled', embedder: { type: 'model', model: 'embed-test', dimension: 4 } };
    assert.equal((await post('/v1/collections', body)).statusCode, 201);
    const before = upstream.requests.filter((request) => request.path.endsWith('/embeddings')).length;
    await ingest('modelled', [{ name: 'kettle.md', text: kettle }]);
    const calls = upstream.requests.filter((request) => request.path.endsWith('/embeddings')).slice(before);
    assert.equal(calls.length, 1, 'one batch for a small document');
    assert.equal((calls[0]!.body.input as string[]).length, 3);
    const hits = await search('modelled', 'warranty', key, { mode: 'vector', k: 1 });
    assert.equal(hits[0]?.heading, 'Warranty');
    await test.app.ledgerWriter.flush();
    const usage = await test.app.store.ledger.aggregateUsage({ from: 0, to: Date.now() + 1_000, alias: 'embed-test' });
    assert.ok(usage.reduce((sum, row) => sum + row.requests, 0) >= 2, 'ingest and search embeddings are in the ledger');
  });

  it('answers with citations that map to chunk ids, documents and offsets', async () => {
    assert.equal((await post('/v1/collections', { name: 'answers' })).statusCode, 201);
    await ingest('answers', [
      { name: 'kettle.md', text: kettle },
      { name: 'leave.md', text: leave },
    ]);
    chatReply = 'Descale it every four weeks in hard-water areas [1].';
    const before = upstream.chatRequests().length;
    const response = await post('/v1/collections/answers/answer', { query: 'How often should I descale the kettle?', model: 'gpt-test' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.refused, false);
    assert.equal(body.citations.length, 1);
    const cited = body.citations[0];
    assert.equal(cited.index, 1);
    assert.equal(cited.document, 'kettle.md');
    assert.equal(kettle.slice(cited.start, cited.end), cited.text);
    assert.match(cited.text, /every four weeks/);
    const prompt = upstream.chatRequests()[before]!.body.messages as Array<{ role: string; content: string }>;
    assert.match(prompt[1]!.content, /\[1\] \(kettle\.md — Descaling\)/);
    assert.match(prompt[0]!.content, /NOT_IN_SOURCES/);
  });

  it('refuses without a model call when nothing relevant is retrieved, and when the model says the sources lack the answer', async () => {
    const before = upstream.chatRequests().length;
    const unrelated = await post('/v1/collections/answers/answer', { query: 'What is the capital of Mongolia?', model: 'gpt-test' });
    assert.equal(unrelated.statusCode, 200);
    assert.equal(unrelated.json().refused, true);
    assert.deepEqual(unrelated.json().citations, []);
    assert.equal(upstream.chatRequests().length, before, 'no model call for a question the sources do not touch');

    chatReply = 'NOT_IN_SOURCES';
    const missing = await post('/v1/collections/answers/answer', { query: 'What colour is the kettle?', model: 'gpt-test' });
    assert.equal(missing.json().refused, true);
    assert.equal(missing.json().answer, 'The answer is not in the sources.');
    assert.equal(upstream.chatRequests().length, before + 1);
  });

  it('refuses what it cannot do in the error envelope', async () => {
    const duplicate = await post('/v1/collections', { name: 'answers' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().error.code, 'COLLECTION_EXISTS');
    const badName = await post('/v1/collections', { name: 'Bad Name' });
    assert.equal(badName.json().error.code, 'INVALID_REQUEST');
    const unknownModel = await post('/v1/collections', { name: 'x', embedder: { type: 'model', model: 'nope', dimension: 4 } });
    assert.equal(unknownModel.json().error.code, 'MODEL_NOT_FOUND');
    const schema = { type: 'object', required: ['lang'], properties: { lang: { enum: ['en', 'de'] } } };
    assert.equal((await post('/v1/collections', { name: 'typed', metadata_schema: schema })).statusCode, 201);
    const invalid = await post('/v1/collections/typed/documents', { documents: [{ name: 'a.md', text: 'hello', metadata: { lang: 'fr' } }] });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.json().error.message, /metadata_schema/);
  });
});
