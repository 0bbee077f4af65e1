import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashedNgramEmbedder } from './hashed-ngram-embedder.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe('HashedNgramEmbedder', () => {
  const embedder = new HashedNgramEmbedder({ dimension: 256 });

  it('gives unit vectors of its dimension, the same for the same text in any instance', async () => {
    const [vector] = await embedder.embed(['how do i reset my password']);
    assert.equal(vector!.length, 256);
    assert.ok(Math.abs(dot(vector!, vector!) - 1) < 1e-5);
    assert.deepEqual(await new HashedNgramEmbedder({ dimension: 256 }).embed(['how do i reset my password']), [vector]);
    assert.equal(embedder.id, 'hashed-ngram-v2/256');
  });

  it('puts rewordings closer than other questions', async () => {
    const [question, rewording, other] = await embedder.embed(['how do i reset my password', 'how can i reset the password', 'what are your opening hours']);
    assert.ok(dot(question!, rewording!) > 0.7, `rewording ${dot(question!, rewording!)}`);
    assert.ok(dot(question!, other!) < 0.4, `other ${dot(question!, other!)}`);
  });
});
