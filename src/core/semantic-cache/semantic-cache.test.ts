import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryResponseCache } from '../../adapters/cache/memory/memory-response-cache.js';
import { HashedNgramEmbedder } from '../../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { BruteForceVectorIndexStore } from '../../adapters/vector-index/brute-force/brute-force-vector-index.js';
import { HnswVectorIndexStore } from '../../adapters/vector-index/hnsw/hnsw-vector-index-store.js';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import type { Embedder } from '../ports/embedder.js';
import type { VectorIndexStore } from '../ports/vector-index.js';
import { describePrompt } from './scope.js';
import { defaultSimilarityThreshold, SemanticCache, thresholdFor, uncalibratedThreshold } from './semantic-cache.js';

const threshold = defaultSimilarityThreshold;
const hour = 3_600_000;
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'support',
  messages: [
    { role: 'system', content: 'You answer questions about the shop.' },
    { role: 'user', content: text },
  ],
  ...extra,
});
const answer = (content: string): ChatCompletion => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'upstream',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});
const contentOf = (hit: { completion: ChatCompletion } | undefined) => hit?.completion.choices[0]?.message.content;

function open(
  options: { maxEntries?: number; maxScopes?: number; maxStoredScopes?: number; indexes?: VectorIndexStore; payloads?: MemoryResponseCache; embedder?: HashedNgramEmbedder } = {},
) {
  const embedder = options.embedder ?? new HashedNgramEmbedder();
  return new SemanticCache({
    embedder,
    indexes: options.indexes ?? new BruteForceVectorIndexStore(embedder.dimension),
    payloads: options.payloads ?? new MemoryResponseCache(10_000),
    maxEntries: options.maxEntries ?? 1000,
    maxScopes: options.maxScopes ?? 100,
    maxStoredScopes: options.maxStoredScopes ?? 1000,
  });
}

/** A store that records which scopes were released (closed) and dropped (deleted). */
function recording(store: VectorIndexStore): VectorIndexStore & { released: string[]; dropped: string[] } {
  const released: string[] = [];
  const dropped: string[] = [];
  return Object.assign(Object.create(store) as VectorIndexStore, {
    released,
    dropped,
    release: (scope: string) => (released.push(scope), store.release(scope)),
    drop: (scope: string) => (dropped.push(scope), store.drop(scope)),
  });
}

const scopeOf = (tenant: string) => describePrompt(ask('How do I reset my password?'), tenant, 'support')!.scope;

describe('SemanticCache', () => {
  it('answers a paraphrase with the stored answer and its similarity', async () => {
    const cache = open();
    assert.equal(await cache.store(ask('How do I reset my password?'), 't', 'support', answer('Use the reset link.'), hour), true);
    const hit = await cache.lookup(ask('Could you please tell me how I can reset my password?'), 't', 'support', threshold);
    assert.equal(contentOf(hit), 'Use the reset link.');
    assert.ok(hit!.similarity >= threshold && hit!.similarity <= 1);
    assert.equal(await cache.lookup(ask('What are your opening hours?'), 't', 'support', threshold), undefined, 'an unrelated question misses');
  });

  it('never serves a near-miss: another number, date, name, identifier or a negation', async () => {
    const cache = open();
    const pairs: Array<[string, string]> = [
      ['Can I return an item after 30 days?', 'Can I return an item after 60 days?'],
      ['Is the store open on December 24?', 'Is the store open on December 26?'],
      ['How many vacation days does Anna have left?', 'How many vacation days does Peter have left?'],
      ['What is the status of order #48213?', 'What is the status of order #48231?'],
      ['Which plans include priority support?', 'Which plans do not include priority support?'],
      ['How do I enable dark mode?', 'How do I disable dark mode?'],
    ];
    for (const [cached] of pairs) await cache.store(ask(cached), 't', 'support', answer(cached), hour);
    for (const [cached, asked] of pairs) {
      assert.equal(contentOf(await cache.lookup(ask(cached), 't', 'support', threshold)), cached, 'the question itself hits');
      assert.equal(await cache.lookup(ask(asked), 't', 'support', threshold), undefined, `"${asked}" must not get the answer to "${cached}"`);
    }
  });

  it('never crosses a scope: tenant, alias, prompt version, response schema, tools, system prompt', async () => {
    const cache = open();
    const schema = { type: 'json_schema' as const, json_schema: { name: 'a', schema: { type: 'object' } } };
    const tools = [{ type: 'function' as const, function: { name: 'lookup_order' } }];
    await cache.store(ask('How do I reset my password?', { response_format: schema, tools, metadata: { prompt_version: '3' } }), 't', 'support', answer('stored'), hour);
    const same = ask('how can i reset my password', { response_format: schema, tools, metadata: { prompt_version: '3', user_tag: 'x' } });
    assert.equal(contentOf(await cache.lookup(same, 't', 'support', threshold)), 'stored', 'same scope hits (other metadata does not split it)');
    assert.equal(await cache.lookup(same, 'other-tenant', 'support', threshold), undefined);
    assert.equal(await cache.lookup(same, 't', 'other-alias', threshold), undefined);
    assert.equal(await cache.lookup({ ...same, metadata: { prompt_version: '4' } }, 't', 'support', threshold), undefined);
    assert.equal(await cache.lookup({ ...same, response_format: { type: 'json_object' } }, 't', 'support', threshold), undefined);
    assert.equal(await cache.lookup({ ...same, tools: [{ type: 'function', function: { name: 'cancel_order' } }] }, 't', 'support', threshold), undefined);
    assert.equal(await cache.lookup({ ...same, tool_choice: 'required' }, 't', 'support', threshold), undefined);
    const otherSystem = { ...same, messages: [{ role: 'system' as const, content: 'You answer questions about the bank.' }, same.messages[1]!] };
    assert.equal(await cache.lookup(otherSystem, 't', 'support', threshold), undefined);
  });

  it('does not cache prompts with images, or ending in something other than a user message', async () => {
    const cache = open();
    const withImage = ask('x');
    withImage.messages[1] = {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    };
    assert.equal(await cache.store(withImage, 't', 'support', answer('a cat'), hour), false);
    const afterAssistant = ask('Hello');
    afterAssistant.messages.push({ role: 'assistant', content: 'Hi!' });
    assert.equal(await cache.store(afterAssistant, 't', 'support', answer('…'), hour), false);
    assert.equal(cache.size, 0);
  });

  it('misses once the answer expired, and forgets the entry', async () => {
    const cache = open();
    await cache.store(ask('How long does shipping take?'), 't', 'support', answer('3 days'), 60);
    assert.equal(contentOf(await cache.lookup(ask('How long does shipping take?'), 't', 'support', threshold)), '3 days');
    await sleep(120);
    assert.equal(await cache.lookup(ask('How long does shipping take?'), 't', 'support', threshold), undefined);
    assert.equal(cache.size, 0);
  });

  it("invalidates a tenant's entries, or one alias's, and nothing else", async () => {
    const cache = open();
    const question = ask('How do I reset my password?');
    await cache.store(question, 'acme', 'support', answer('acme support'), hour);
    await cache.store(question, 'acme', 'sales', answer('acme sales'), hour);
    await cache.store(question, 'globex', 'support', answer('globex support'), hour);
    assert.equal(await cache.invalidate({ tenant: 'acme', alias: 'sales' }), 1);
    assert.equal(await cache.lookup(question, 'acme', 'sales', threshold), undefined);
    assert.equal(contentOf(await cache.lookup(question, 'acme', 'support', threshold)), 'acme support');
    assert.equal(await cache.invalidate({ tenant: 'acme' }), 1);
    assert.equal(await cache.lookup(question, 'acme', 'support', threshold), undefined);
    assert.equal(contentOf(await cache.lookup(question, 'globex', 'support', threshold)), 'globex support');
  });

  it('keeps at most maxEntries, evicting the oldest, and overwrites a question stored again', async () => {
    const cache = open({ maxEntries: 2 });
    await cache.store(ask('How do I reset my password?'), 't', 'support', answer('first'), hour);
    await cache.store(ask('How do I reset my password?'), 't', 'support', answer('refreshed'), hour);
    assert.equal(cache.size, 1);
    await cache.store(ask('How long does shipping take?'), 't', 'support', answer('shipping'), hour);
    await cache.store(ask('What payment methods do you accept?'), 't', 'support', answer('payment'), hour);
    assert.equal(cache.size, 2);
    assert.equal(await cache.lookup(ask('How do I reset my password?'), 't', 'support', threshold), undefined, 'the oldest went');
    assert.equal(contentOf(await cache.lookup(ask('What payment methods do you accept?'), 't', 'support', threshold)), 'payment');
  });

  it('keeps at most maxScopes indexes open, writing out and closing the least recently used, which reads back from disk when used again (regression: one open index per scope, without bound)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bw-semantic-'));
    const indexes = recording(new HnswVectorIndexStore({ dimension: 256, directory }));
    const cache = open({ indexes, maxScopes: 2 });
    const question = ask('How do I reset my password?');
    try {
      await cache.store(question, 'one', 'support', answer('one'), hour);
      await cache.store(question, 'two', 'support', answer('two'), hour);
      assert.equal(contentOf(await cache.lookup(question, 'one', 'support', threshold)), 'one');
      await cache.store(question, 'three', 'support', answer('three'), hour);
      assert.deepEqual(indexes.released, [scopeOf('two')], '"two" was the least recently used ("one" was looked up since)');
      assert.equal(cache.openScopes, 2);
      assert.equal(cache.storedScopes, 3);
      assert.equal((await readdir(directory)).length, 3, "the closed scope's index, vectors and sidecar were written before it was closed");
      assert.equal(contentOf(await cache.lookup(ask('how can I reset my password'), 'two', 'support', threshold)), 'two', 'read back from disk');
      await cache.store(question, 'four', 'support', answer('four'), hour);
      assert.equal(cache.openScopes, 2);
      for (const tenant of ['one', 'two', 'three', 'four']) assert.equal(contentOf(await cache.lookup(question, tenant, 'support', threshold)), tenant);
      assert.deepEqual(indexes.dropped, []);
    } finally {
      await cache.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('deletes the least recently used scope beyond maxStoredScopes: its files, vectors and answers', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bw-semantic-'));
    const payloads = new MemoryResponseCache(100);
    const question = ask('How do I reset my password?');
    try {
      const cache = open({ indexes: new HnswVectorIndexStore({ dimension: 256, directory }), payloads, maxScopes: 1, maxStoredScopes: 2 });
      for (const tenant of ['one', 'two', 'three']) await cache.store(question, tenant, 'support', answer(tenant), hour);
      assert.equal(cache.storedScopes, 2);
      assert.equal(cache.size, 2);
      assert.equal(await cache.lookup(question, 'one', 'support', threshold), undefined);
      assert.equal(await payloads.get(`sem:${scopeOf('one')}:0`), undefined, 'the answer went with its scope');
      await cache.close();
      assert.equal((await readdir(directory)).length, 6, 'two scopes of three files each are left on disk');
      const restarted = open({ indexes: new HnswVectorIndexStore({ dimension: 256, directory }), payloads, maxScopes: 1, maxStoredScopes: 2 });
      assert.equal(await restarted.lookup(question, 'one', 'support', threshold), undefined);
      assert.equal(contentOf(await restarted.lookup(question, 'two', 'support', threshold)), 'two');
      assert.equal(contentOf(await restarted.lookup(question, 'three', 'support', threshold)), 'three');
      assert.equal(restarted.storedScopes, 2);
      await restarted.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('holds at most maxScopes scopes where nothing persists, forgetting the least recently used', async () => {
    const cache = open({ maxScopes: 2 });
    const question = ask('How do I reset my password?');
    for (const tenant of ['one', 'two', 'three']) await cache.store(question, tenant, 'support', answer(tenant), hour);
    assert.equal(cache.storedScopes, 2);
    assert.equal(cache.size, 2);
    assert.equal(await cache.lookup(question, 'one', 'support', threshold), undefined);
    assert.equal(contentOf(await cache.lookup(question, 'three', 'support', threshold)), 'three');
  });

  it('finds its entries again after a restart on a persisted index, and drops them when the embedder changes', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bw-semantic-'));
    try {
      const payloads = new MemoryResponseCache(100);
      const first = open({ indexes: new HnswVectorIndexStore({ dimension: 256, directory }), payloads });
      await first.store(ask('How do I reset my password?'), 't', 'support', answer('persisted'), hour);
      await first.close();
      const second = open({ indexes: new HnswVectorIndexStore({ dimension: 256, directory }), payloads });
      assert.equal(contentOf(await second.lookup(ask('how can I reset my password'), 't', 'support', threshold)), 'persisted');
      assert.equal(second.size, 1);
      await second.store(ask('How do I reset my password?'), 't', 'support', answer('persisted again'), hour);
      assert.equal(second.size, 1, 'a question stored before the restart is overwritten, not added again');
      assert.equal(contentOf(await second.lookup(ask('How do I reset my password?'), 't', 'support', threshold)), 'persisted again');
      await second.store(ask('How long does shipping take?'), 't', 'support', answer('new'), hour);
      assert.equal(contentOf(await second.lookup(ask('How do I reset my password?'), 't', 'support', threshold)), 'persisted again', 'new labels do not overwrite old ones');
      await second.close();
      const otherEmbedder = new HashedNgramEmbedder({ dimension: 128 });
      const third = open({ embedder: otherEmbedder, indexes: new HnswVectorIndexStore({ dimension: 128, directory }), payloads });
      assert.equal(await third.lookup(ask('How do I reset my password?'), 't', 'support', threshold), undefined);
      assert.equal(third.size, 0);
      await third.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

/** Every text the same vector: whatever the similarity threshold, only the guards decide. */
function sameVectorEmbedder(multilingual: boolean): Embedder {
  const vector = new Float32Array([0.6, 0.8, 0, 0]);
  return { id: `same-vector/${multilingual}`, dimension: 4, multilingual, embed: async (texts) => texts.map(() => vector.slice()) };
}

function openWith(embedder: Embedder): SemanticCache {
  return new SemanticCache({
    embedder,
    indexes: new BruteForceVectorIndexStore(embedder.dimension),
    payloads: new MemoryResponseCache(100),
    maxEntries: 100,
    maxScopes: 10,
    maxStoredScopes: 10,
  });
}

describe('SemanticCache: never the wrong answer (issue 13)', () => {
  it('serves the question itself through every guard', async () => {
    const cache = openWith(sameVectorEmbedder(false));
    await cache.store(ask('What is 10 minus 3?'), 't', 'support', answer('7'), hour);
    assert.equal(contentOf(await cache.lookup(ask('what is 10 minus 3'), 't', 'support', 0.99)), '7');
  });

  it('refuses operands and roles swapped', async () => {
    const cache = openWith(sameVectorEmbedder(false));
    await cache.store(ask('What is 10 minus 3?'), 't', 'support', answer('7'), hour);
    await cache.store(ask('How do I merge develop into main?'), 't', 'support', answer('git switch main && git merge develop'), hour);
    assert.equal(await cache.lookup(ask('What is 3 minus 10?'), 't', 'support', 0.99), undefined);
    assert.equal(await cache.lookup(ask('How do I merge main into develop?'), 't', 'support', 0.99), undefined);
  });

  it('refuses a unit symbol in another letter case', async () => {
    const cache = openWith(sameVectorEmbedder(false));
    await cache.store(ask('Is 100 MB enough for the upload?'), 't', 'support', answer('yes'), hour);
    assert.equal(await cache.lookup(ask('Is 100 Mb enough for the upload?'), 't', 'support', 0.99), undefined);
    assert.equal(contentOf(await cache.lookup(ask('is 100 MB enough for the upload'), 't', 'support', 0.99)), 'yes');
  });

  it('never answers across languages with a monolingual embedder; a multilingual one may', async () => {
    const monolingual = openWith(sameVectorEmbedder(false));
    await monolingual.store(ask('Python list comprehension with if else'), 't', 'support', answer('[x if c else y for x in xs]'), hour);
    assert.equal(await monolingual.lookup(ask('Python list comprehension mit if else'), 't', 'support', 0.99), undefined);
    const multilingual = openWith(sameVectorEmbedder(true));
    await multilingual.store(ask('Python list comprehension with if else'), 't', 'support', answer('[x if c else y for x in xs]'), hour);
    assert.equal(contentOf(await multilingual.lookup(ask('Python list comprehension mit if else'), 't', 'support', 0.99)), '[x if c else y for x in xs]');
    // Across languages no content word matches: for a multilingual model its similarity stands for the content check.
    await monolingual.store(ask('How do I reset my password?'), 't', 'support', answer('Use the reset link.'), hour);
    await multilingual.store(ask('How do I reset my password?'), 't', 'support', answer('Use the reset link.'), hour);
    assert.equal(await monolingual.lookup(ask('Comment réinitialiser mon mot de passe ?'), 't', 'support', 0.99), undefined);
    assert.equal(contentOf(await multilingual.lookup(ask('Comment réinitialiser mon mot de passe ?'), 't', 'support', 0.99)), 'Use the reset link.');
    assert.equal(await multilingual.lookup(ask('How do I reset my username?'), 't', 'support', 0.99), undefined, 'in one language the content check still holds');
  });

  it('the built-in embedder declares its calibrated threshold and that it is monolingual', () => {
    const embedder = new HashedNgramEmbedder();
    assert.equal(thresholdFor(embedder), defaultSimilarityThreshold);
    assert.equal(embedder.multilingual, false);
    assert.equal(thresholdFor(sameVectorEmbedder(true)), uncalibratedThreshold);
  });
});
