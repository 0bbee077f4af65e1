import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateCorpus } from '../../bench/retrieval/corpus.js';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { SqliteCollectionStore } from '../../src/adapters/store/sqlite/sqlite-collection-store.js';
import { chunkText, defaultChunking } from '../../src/core/retrieval/chunker.js';
import { embeddedText } from '../../src/core/retrieval/ingest-job.js';

/**
 * Regression: at m 16 / efConstruction 100 / efSearch 64 the collection graph returned 75% of the
 * exact top 10 over hashed n-gram vectors of templated documents (every chunk of a section alike
 * but for a company name), and almost none of a small distinct corpus mixed in.
 */
it('vector search over templated documents returns at least 90% of the exact top 10 at the default settings', async () => {
  const embedder = new HashedNgramEmbedder({ dimension: 256 });
  const store = new SqliteCollectionStore({ path: ':memory:' });
  const scope = { tenant: 't', collection: 'docs' };
  await store.createCollection({
    tenant: 't',
    name: 'docs',
    description: '',
    embedder: { kind: 'builtin', dimension: 256 },
    chunking: defaultChunking,
    metadataSchema: null,
    accessTags: [],
    createdAt: 1,
  });
  const corpus = generateCorpus(1_000);
  const all: Array<{ key: string; vector: Float32Array }> = [];
  for (const document of corpus.documents) {
    const chunks = chunkText(document.text, defaultChunking);
    const vectors = await embedder.embed(chunks.map(embeddedText));
    chunks.forEach((chunk, index) => all.push({ key: `${document.name}/${chunk.id}`, vector: vectors[index]! }));
    await store.writeDocument(
      scope,
      { name: document.name, contentHash: document.name, characters: 1, accessTags: [], metadata: {}, updatedAt: 1 },
      chunks.map((chunk, index) => ({ ...chunk, vector: vectors[index]! })),
    );
  }
  let found = 0;
  for (const question of corpus.questions) {
    const query = embedder.embedOne(question.question);
    const exact = all
      .map(({ key, vector }) => ({ key, similarity: vector.reduce((sum, value, index) => sum + value * query[index]!, 0) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10)
      .map((entry) => entry.key);
    const hits = await store.searchVector({ ...scope, accessTags: [] }, query, 10);
    const returned = new Set(hits.map((hit) => `${hit.document}/${hit.chunkId}`));
    found += exact.filter((key) => returned.has(key)).length;
  }
  const recall = found / (corpus.questions.length * 10);
  assert.ok(recall >= 0.9, `HNSW returned ${(recall * 100).toFixed(1)}% of the exact top 10`);
  await store.close();
});
