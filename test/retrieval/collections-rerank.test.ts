import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { untilJobEnds } from '../support/jobs.js';
import { answer, OpenAIUpstream, type RecordedRequest, sendJson } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp, upstreamConfig, upstreamSecret } from '../support/test-app.js';

const kettle = `# AquaClear K5 kettle

## Descaling
Descale the kettle every four weeks in hard-water areas with equal parts white vinegar and water.

## Warranty
The kettle has a two-year warranty from the date of purchase; descale it as the manual says or the warranty lapses.

## Keep-warm
Press the thermometer button twice to keep water at 80 degrees for thirty minutes.`;

type Hit = { chunk_id: string; heading: string | null; text: string };

/** The scripted reranker: scores 10 for a passage naming `favourite`, 1 for the others, as "<n>: <score>" lines. */
function scoreReply(request: RecordedRequest, favourite: string): string {
  const messages = request.body.messages as Array<{ content: string }>;
  const passages = messages
    .at(-1)!
    .content.split(/\n\n(?=\[\d+\] )/)
    .filter((part) => /^\[\d+\] /.test(part));
  return passages.map((passage) => `${passage.match(/^\[(\d+)\]/)![1]}: ${passage.toLowerCase().includes(favourite) ? 10 : 1}`).join('\n');
}

describe('search and answers reranked by a chat model alias', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  /** What the upstream does with the rerank call: score, fail, or babble. */
  let reranker: 'score' | 'fail' | 'babble' = 'score';
  const rerankCalls = () => upstream.chatRequests().filter((request) => String((request.body.messages as Array<{ content: string }>)[0]!.content).startsWith('You judge how well'));

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (!request.path.endsWith('/chat/completions')) return;
      const system = String((request.body.messages as Array<{ content: string }>)[0]!.content);
      if (system.startsWith('You judge how well')) {
        if (reranker === 'fail') sendJson(response, 500, { error: { message: 'reranker down' } });
        else answer(request, response, reranker === 'babble' ? 'All of them look relevant to me.' : scoreReply(request, 'warranty'));
        return true;
      }
      answer(request, response, 'The kettle has a two-year warranty [1].');
      return true;
    });
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key({ tenant: 'acme' });
    const created = await post('/v1/collections', { name: 'manuals' });
    assert.equal(created.statusCode, 201, created.body);
    const submitted = await post('/v1/collections/manuals/documents', { documents: [{ name: 'kettle.md', text: kettle }] });
    assert.equal(submitted.statusCode, 202, submitted.body);
    assert.equal((await untilJobEnds(test, key, submitted.json().id)).job.status, 'succeeded');
  });
  beforeEach(() => {
    reranker = 'score';
    upstream.requests.length = 0;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const post = (url: string, body: unknown) => test.server.inject({ method: 'POST', url, headers: bearer(key), payload: body as Record<string, unknown> });
  const query = 'how often should I descale the kettle?';

  it("puts the model's best-scored passage first, sends bounded candidates through the gateway, and says so", async () => {
    const plain = await post('/v1/collections/manuals/search', { query, k: 3 });
    const fused = plain.json().data as Hit[];
    assert.equal(fused[0]!.heading, 'Descaling', 'without rerank the fused order has Descaling first');

    const response = await post('/v1/collections/manuals/search', { query, k: 3, rerank: { model: 'gpt-test', top_n: 2, candidates: 3 } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['x-breakwater-rerank'], 'applied');
    const body = response.json() as { data: Hit[]; rerank: { applied: boolean; candidates: number; model: string } };
    assert.equal(body.data.length, 2, 'top_n chunks come back');
    assert.equal(body.data[0]!.heading, 'Warranty');
    assert.deepEqual(body.rerank, { model: 'gpt-test', prompt_version: 'retrieval-rerank@1', applied: true, candidates: 3 });
    const [call] = rerankCalls();
    assert.equal(rerankCalls().length, 1);
    assert.equal(call!.body.model, 'gpt-4o-mini', 'the alias was routed to its deployment');
    const prompt = (call!.body.messages as Array<{ content: string }>)[1]!.content;
    assert.equal(prompt.match(/^\[\d+\] /gm)?.length, 3, 'only the asked candidates are sent');
    assert.ok(Number(call!.body.max_tokens) <= 8 * 3 + 16, 'the reply is capped');
  });

  it('keeps the fused order, with a header and a reason, when the rerank call fails or its reply has no scores', async () => {
    for (const mode of ['fail', 'babble'] as const) {
      reranker = mode;
      // A query of its own: the rerank call goes through the exact cache like any call.
      const asked = `${query} (${mode})`;
      const fused = (await post('/v1/collections/manuals/search', { query: asked, k: 3 })).json().data as Hit[];
      const response = await post('/v1/collections/manuals/search', { query: asked, k: 3, rerank: { model: 'gpt-test' } });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['x-breakwater-rerank'], 'fallback', mode);
      const body = response.json() as { data: Hit[]; rerank: { applied: boolean; reason: string } };
      assert.deepEqual(
        body.data.map((hit) => hit.chunk_id),
        fused.map((hit) => hit.chunk_id),
        mode,
      );
      assert.equal(body.rerank.applied, false);
      assert.match(body.rerank.reason, mode === 'fail' ? /rerank call failed/ : /no "<number>: <score>" line/);
    }
  });

  it('reranks the sources of a grounded chat completion (retrieval option)', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Descaling: how often for the kettle?' }],
      retrieval: { collection: 'manuals', k: 2, rerank: { model: 'gpt-test' } },
    });
    assert.equal(response.statusCode, 200, response.body);
    const { retrieval } = response.json() as { retrieval: { sources: Array<{ text: string }>; rerank: { applied: boolean } } };
    assert.equal(retrieval.rerank.applied, true);
    assert.match(retrieval.sources[0]!.text, /two-year warranty/);
    assert.equal(rerankCalls().length, 1);
  });

  it('refuses an alias the key cannot use instead of falling back', async () => {
    const response = await post('/v1/collections/manuals/search', { query, rerank: { model: 'no-such-alias' } });
    assert.equal(response.statusCode, 404, response.body);
    assert.equal(rerankCalls().length, 0);
  });

  it("numbers an answer's sources in the reranked order", async () => {
    const response = await post('/v1/collections/manuals/answer', { query: 'descaling the kettle: how often?', k: 2, model: 'gpt-test', rerank: { model: 'gpt-test' } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['x-breakwater-rerank'], 'applied');
    const body = response.json() as { sources: Array<{ index: number; text: string }>; rerank: { applied: boolean } };
    assert.match(body.sources[0]!.text, /two-year warranty/);
    assert.equal(body.rerank.applied, true);
    assert.equal(rerankCalls().length, 1);
  });
});
