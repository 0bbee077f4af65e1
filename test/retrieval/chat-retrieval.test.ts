import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { untilJobEnds } from '../support/jobs.js';
import { answer, OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, sseData, startTestApp, type TestApp, upstreamConfig, upstreamSecret } from '../support/test-app.js';

const kettle = `# AquaClear K5 kettle

## Descaling
Descale the kettle every four weeks in hard-water areas with equal parts white vinegar and water.

## Warranty
The kettle has a two-year warranty from the date of purchase.`;

describe('chat completions with the retrieval option', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  let reply = 'unused';
  const prompts: string[] = [];

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (!request.path.endsWith('/chat/completions')) return false;
      prompts.push((request.body.messages as Array<{ role: string; content: string }>).map((message) => `${message.role}: ${message.content}`).join('\n'));
      answer(request, response, reply);
      return true;
    });
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key({ tenant: 'acme' });
    const post = (url: string, body: Record<string, unknown>) => test.server.inject({ method: 'POST', url, headers: bearer(key), payload: body });
    assert.equal((await post('/v1/collections', { name: 'manuals' })).statusCode, 201);
    const submitted = await post('/v1/collections/manuals/documents', { documents: [{ name: 'kettle.md', text: kettle }] });
    assert.equal((await untilJobEnds(test, key, submitted.json().id)).job.status, 'succeeded');
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const chat = (body: Record<string, unknown>, secret = key) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(secret), payload: { model: 'gpt-test', ...body } });

  it('puts the retrieved chunks before the conversation and maps the answer’s [n] to chunks, documents and offsets', async () => {
    reply = 'Descale it every four weeks [1].';
    const before = prompts.length;
    const response = await chat({ messages: [{ role: 'user', content: 'How often should I descale the kettle?' }], retrieval: { collection: 'manuals' } });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.content, 'Descale it every four weeks [1].');
    assert.equal(body.retrieval.refused, false);
    assert.equal(body.retrieval.prompt_version, 'retrieval-answer@1');
    assert.equal(body.retrieval.citations.length, 1);
    const cited = body.retrieval.citations[0];
    assert.equal(cited.document, 'kettle.md');
    assert.equal(kettle.slice(cited.start, cited.end), cited.text);
    assert.match(cited.text, /every four weeks/);
    assert.equal(prompts.length, before + 1);
    assert.match(prompts.at(-1)!, /^system: You answer questions using only the numbered sources[\s\S]*\[1\] \(kettle\.md — Descaling\)[\s\S]*user: How often should I descale/);
  });

  it('refuses without a model call when nothing relevant is found, and when the model says the sources lack the answer', async () => {
    const before = prompts.length;
    const unrelated = await chat({ messages: [{ role: 'user', content: 'What is the capital of Peru?' }], retrieval: { collection: 'manuals' } });
    assert.equal(unrelated.statusCode, 200);
    assert.equal(unrelated.json().choices[0].message.content, 'The answer is not in the sources.');
    assert.equal(unrelated.json().retrieval.refused, true);
    assert.equal(prompts.length, before, 'no model call');

    reply = 'NOT_IN_SOURCES';
    const lacking = await chat({ messages: [{ role: 'user', content: 'What colour is the kettle descaling light?' }], retrieval: { collection: 'manuals' } });
    assert.equal(lacking.json().choices[0].message.content, 'The answer is not in the sources.');
    assert.equal(lacking.json().retrieval.refused, true);
    assert.deepEqual(lacking.json().retrieval.citations, []);
  });

  it('streams with the sources on the first chunk', async () => {
    reply = 'Two years [1].';
    const response = await chat({ stream: true, messages: [{ role: 'user', content: 'How long is the kettle warranty?' }], retrieval: { collection: 'manuals', k: 3 } });
    assert.equal(response.statusCode, 200, response.body);
    const chunks = sseData(response.body)
      .filter((data) => data !== '[DONE]')
      .map((data) => JSON.parse(data));
    assert.ok(chunks[0].retrieval.sources.some((source: { text: string }) => /two-year warranty/.test(source.text)));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), 'Two years [1].');
  });

  it('keeps tenants apart and refuses a bad option in the error envelope', async () => {
    const other = await test.key({ tenant: 'globex' });
    const foreign = await chat({ messages: [{ role: 'user', content: 'descale the kettle' }], retrieval: { collection: 'manuals' } }, other);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'COLLECTION_NOT_FOUND');
    const bad = await chat({ messages: [{ role: 'user', content: 'descale' }], retrieval: { collection: 'manuals', k: 0 } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.param, 'retrieval.k');
  });
});
