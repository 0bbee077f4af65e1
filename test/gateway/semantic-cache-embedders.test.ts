import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { bearer, startTestApp, waitFor, type TestApp } from '../support/test-app.js';
import { writeTinyGguf } from '../support/tiny-gguf.js';

/*
 * The semantic cache with a model as its embedder (`cache.semantic.embedder.driver: model`),
 * through the real HTTP server: an OpenAI-compatible /v1/embeddings deployment on port 0, and
 * the in-process local GGUF model. The built-in embedder is covered in governance.test.ts.
 */

/** Bag-of-words vectors, 64 dimensions: texts sharing most words are close, unrelated ones are not. */
function wordVector(text: string): number[] {
  const vector = new Array<number>(64).fill(0);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % 64]! += 1;
  }
  return vector;
}

const chat = (test: TestApp, key: string, content: string) =>
  test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(key), payload: { model: 'faq', messages: [{ role: 'user', content }] } });

describe('semantic cache embedding through an OpenAI-compatible embeddings deployment', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const embedded: string[] = [];

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (!request.path.endsWith('/embeddings')) return false;
      const inputs = request.body.input as string[];
      embedded.push(...inputs);
      sendJson(response, 200, {
        object: 'list',
        model: request.body.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: wordVector(input) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
      return true;
    });
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        faq: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], semanticCache: { enabled: true } },
        embed: { deployments: [{ provider: 'upstream', model: 'text-embedding-3-small' }] },
      },
      cache: { exact: { enabled: false }, semantic: { embedder: { driver: 'model', model: 'embed', dimension: 64, threshold: 0.75 }, index: { driver: 'exact' } } },
    });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it("embeds the normalised question with the deployment's model and serves a paraphrase from the cache", async () => {
    const first = await chat(test, key, 'How do I reset my password?');
    assert.equal(first.headers['x-breakwater-cache'], 'miss');
    await waitFor(async () => test.app.semanticCache!.size === 1);
    assert.ok(embedded.includes('how do i reset my password'), `the embedder got the normalised question (got ${JSON.stringify(embedded)})`);
    const embeddingCall = upstream.requests.find((request) => request.path.endsWith('/embeddings'))!;
    assert.equal(embeddingCall.body.model, 'text-embedding-3-small');
    const chats = upstream.chatRequests().length;

    const paraphrase = await chat(test, key, 'how can I reset my password');
    assert.match(String(paraphrase.headers['x-breakwater-cache']), /^semantic; similarity=0\.8\d{2}$/);
    assert.equal(paraphrase.json().choices[0].message.content, first.json().choices[0].message.content);

    const unrelated = await chat(test, key, 'What are your opening hours on Sunday?');
    assert.equal(unrelated.headers['x-breakwater-cache'], 'miss', 'a question far away in the model space is asked upstream');
    assert.equal(upstream.chatRequests().length, chats + 1);
  });
});

describe('semantic cache embedding with the local GGUF model', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'breakwater-local-embedder-'));
    const model = writeTinyGguf(join(folder, 'tiny.gguf'), { layers: 1, embeddingLength: 32, heads: 2, seed: 3 });
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: {
        upstream: { type: 'openai-compatible', baseUrl: upstream.url },
        local: { type: 'local', model: model.path, embedding: true },
      },
      models: {
        // A random-weight model puts unrelated texts close together: only the same question
        // after normalisation may hit here, so the threshold sits just below 1.
        faq: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], semanticCache: { enabled: true, threshold: 0.999 } },
        'local-embed': { deployments: [{ provider: 'local', model: 'tiny' }] },
      },
      cache: { exact: { enabled: false }, semantic: { embedder: { driver: 'model', model: 'local-embed', dimension: model.embeddingLength }, index: { driver: 'exact' } } },
    });
    key = await test.key();
  });
  after(async () => {
    await test?.close();
    await upstream?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('embeds in-process and serves the same question asked differently from the cache', async () => {
    const first = await chat(test, key, 'How do I reset my password?');
    assert.equal(first.headers['x-breakwater-cache'], 'miss');
    await waitFor(async () => test.app.semanticCache!.size === 1);
    const chats = upstream.chatRequests().length;

    const again = await chat(test, key, 'Could you please tell me: how do I reset my password!!');
    assert.equal(again.headers['x-breakwater-cache'], 'semantic; similarity=1.000');
    assert.equal(upstream.chatRequests().length, chats, 'the hit never reached the chat provider');
    assert.equal(upstream.requests.filter((request) => request.path.endsWith('/embeddings')).length, 0, 'the embeddings came from the local model, not over HTTP');

    const other = await chat(test, key, 'How do I change my e-mail address?');
    assert.equal(other.headers['x-breakwater-cache'], 'miss');
  });
});
