import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Provider } from '../../../core/ports/provider.js';
import type { EmbeddingsRequest } from '../../../wire/embeddings.js';
import { ProviderEmbedder } from './provider-embedder.js';

function provider(vectors: number[][]): Provider & { requests: Array<{ request: EmbeddingsRequest; model: string }> } {
  const requests: Array<{ request: EmbeddingsRequest; model: string }> = [];
  return {
    name: 'local-embeddings',
    capabilities: { chat: false, streaming: false, embeddings: true, tools: false, jsonSchema: false },
    requests,
    chat: () => Promise.reject(new Error('no chat')),
    chatStream: () => Promise.reject(new Error('no chat')),
    embed: async (request, options) => {
      requests.push({ request, model: options.model });
      return { model: options.model, vectors, usage: { prompt_tokens: 1, total_tokens: 1 } };
    },
  };
}

describe('ProviderEmbedder', () => {
  it("sends the texts to the provider's embed with the model, and normalises what comes back", async () => {
    const upstream = provider([
      [3, 4],
      [0, 2],
    ]);
    const embedder = new ProviderEmbedder({ provider: upstream, model: 'nomic-embed', dimension: 2 });
    const vectors = await embedder.embed(['a', 'b']);
    assert.deepEqual(upstream.requests, [{ request: { model: 'nomic-embed', input: ['a', 'b'] }, model: 'nomic-embed' }]);
    assert.deepEqual(
      vectors.map((vector) => [...vector].map((value) => Number(value.toFixed(3)))),
      [
        [0.6, 0.8],
        [0, 1],
      ],
    );
    assert.equal(embedder.id, 'provider/local-embeddings/nomic-embed/2');
  });

  it('refuses vectors of another dimension with a message saying what to set', async () => {
    const embedder = new ProviderEmbedder({ provider: provider([[1, 0, 0]]), model: 'm', dimension: 2 });
    await assert.rejects(embedder.embed(['a']), /returned 3 dimensions; set the semantic cache's embedder dimension to 3/);
  });
});
