import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryResponseCache } from '../../../adapters/cache/memory/memory-response-cache.js';
import { HashedNgramEmbedder } from '../../../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { BruteForceVectorIndexStore } from '../../../adapters/vector-index/brute-force/brute-force-vector-index.js';
import type { ChatCompletion, ChatRequest } from '../../../wire/chat.js';
import type { CallContext, CallOutcome, CallSettlement } from '../../gateway/call-context.js';
import { SemanticCache } from '../../semantic-cache/semantic-cache.js';
import { semanticCache } from './index.js';

const completion = (content: string, finish: 'stop' | 'length' | 'tool_calls' = 'stop'): ChatCompletion => ({
  id: 'chatcmpl-upstream',
  object: 'chat.completion',
  created: 1,
  model: 'upstream',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
});

/** The fields the middleware reads and writes; the rest of a CallContext does not matter here. */
function call(text: string, options: { alias?: string; noStore?: boolean; noCache?: boolean } = {}) {
  const deferred: Array<(settlement: CallSettlement) => void | Promise<void>> = [];
  const request: ChatRequest = { model: options.alias ?? 'support', messages: [{ role: 'user', content: text }] };
  const context = {
    key: { tenant: 'acme' },
    requestedAlias: options.alias ?? 'support',
    route: { alias: 'resolved-elsewhere' },
    input: { operation: 'chat', request },
    stream: false,
    cacheControl: { noStore: options.noStore ?? false, noCache: options.noCache ?? false },
    signal: new AbortController().signal,
    cache: 'miss',
    cacheSimilarity: undefined,
    defer: (step: (settlement: CallSettlement) => void | Promise<void>) => deferred.push(step),
  } as unknown as CallContext;
  const settle = async (settlement: CallSettlement) => {
    for (const step of deferred) await step(settlement);
  };
  return { context, settle };
}

function setup() {
  const embedder = new HashedNgramEmbedder();
  const cache = new SemanticCache({
    embedder,
    indexes: new BruteForceVectorIndexStore(embedder.dimension),
    payloads: new MemoryResponseCache(100),
    maxEntries: 100,
    maxScopes: 10,
    maxStoredScopes: 100,
  });
  const hits: Array<[string, number]> = [];
  const middleware = semanticCache({
    cache,
    thresholdFor: (context) => (context.requestedAlias === 'off' ? undefined : 0.75),
    ttlMs: 60_000,
    onHit: (alias, similarity) => hits.push([alias, similarity]),
    onError: () => {},
  });
  let upstreamCalls = 0;
  const next =
    (content: string, finish: 'stop' | 'length' | 'tool_calls' = 'stop') =>
    async (): Promise<CallOutcome> => {
      upstreamCalls++;
      return { kind: 'completion', completion: completion(content, finish) };
    };
  return { middleware, hits, next, calls: () => upstreamCalls };
}

async function miss(bench: ReturnType<typeof setup>, text: string, content: string, options: Parameters<typeof call>[1] = {}, finish: 'stop' | 'length' | 'tool_calls' = 'stop') {
  const { context, settle } = call(text, options);
  const outcome = await bench.middleware(context, bench.next(content, finish));
  assert.equal(outcome.kind, 'completion');
  await settle({ error: undefined, completion: completion(content, finish) });
  return context;
}

describe('semanticCache middleware', () => {
  it('stores a complete answer, then serves a paraphrase from it with a fresh id and marks the call semantic', async () => {
    const bench = setup();
    const first = await miss(bench, 'How do I reset my password?', 'Use the reset link.');
    assert.equal(first.cache, 'miss');
    const { context } = call('Could you please tell me how I can reset my password?');
    const outcome = await bench.middleware(context, bench.next('upstream again'));
    assert.equal(bench.calls(), 1, 'the upstream was not called for the paraphrase');
    assert.equal(outcome.kind === 'completion' && outcome.completion.choices[0]!.message.content, 'Use the reset link.');
    assert.ok(outcome.kind === 'completion' && outcome.completion.id !== 'chatcmpl-upstream');
    assert.equal(context.cache, 'semantic');
    assert.ok(context.cacheSimilarity !== undefined && context.cacheSimilarity >= 0.75);
    assert.deepEqual(
      bench.hits.map(([alias]) => alias),
      ['support'],
      'counted under the alias the client named',
    );
  });

  it('stores nothing truncated or from a failed call', async () => {
    const bench = setup();
    await miss(bench, 'How long does shipping take?', 'Usually three', {}, 'length');
    const failed = call('What payment methods do you accept?');
    await bench.middleware(failed.context, bench.next('x'));
    await failed.settle({ error: new Error('boom') as never, completion: undefined });
    await miss(bench, 'How long does shipping take?', 'fresh');
    await miss(bench, 'What payment methods do you accept?', 'fresh');
    assert.equal(bench.calls(), 4);
  });

  it('no-store skips it both ways, no-cache skips the lookup but stores, an alias without threshold is off', async () => {
    const bench = setup();
    await miss(bench, 'How do I reset my password?', 'private', { noStore: true });
    await miss(bench, 'How do I reset my password?', 'refreshed', { noCache: true });
    const { context } = call('How do I reset my password?', { noStore: true });
    await bench.middleware(context, bench.next('upstream'));
    assert.notEqual(context.cache, 'semantic');
    const served = call('how can i reset my password');
    const outcome = await bench.middleware(served.context, bench.next('upstream'));
    assert.equal(outcome.kind === 'completion' && outcome.completion.choices[0]!.message.content, 'refreshed');
    await miss(bench, 'How do I reset my password?', 'stored?', { alias: 'off' });
    const off = call('How do I reset my password?', { alias: 'off' });
    await bench.middleware(off.context, bench.next('upstream'));
    assert.notEqual(off.context.cache, 'semantic');
  });

  it('keys an entry on the question the client sent, though an inner middleware rewrote the messages in place (PII redaction)', async () => {
    for (const noCache of [false, true]) {
      const bench = setup();
      const { context, settle } = call('How do I reset my password?', { noCache });
      await bench.middleware(context, async () => {
        const request = context.input.operation === 'chat' ? context.input.request : undefined;
        request!.messages.splice(0, 1, { role: 'user', content: 'What payment methods do you accept?' });
        return { kind: 'completion', completion: completion('Use the reset link.') };
      });
      await settle({ error: undefined, completion: completion('Use the reset link.') });
      const asked = call('how can i reset my password');
      const outcome = await bench.middleware(asked.context, bench.next('upstream'));
      assert.equal(outcome.kind === 'completion' && outcome.completion.choices[0]!.message.content, 'Use the reset link.', `noCache ${noCache}`);
      const rewritten = call('What payment methods do you accept?');
      await bench.middleware(rewritten.context, bench.next('upstream'));
      assert.equal(rewritten.context.cache, 'miss', `noCache ${noCache}`);
    }
  });

  it('embeds a question once for its lookup and its store', async () => {
    const hashed = new HashedNgramEmbedder();
    const embedded: string[] = [];
    const embedder = {
      id: hashed.id,
      dimension: hashed.dimension,
      spellingOnly: hashed.spellingOnly,
      embed: (texts: readonly string[]) => {
        embedded.push(...texts);
        return hashed.embed(texts);
      },
    };
    const cache = new SemanticCache({
      embedder,
      indexes: new BruteForceVectorIndexStore(embedder.dimension),
      payloads: new MemoryResponseCache(100),
      maxEntries: 100,
      maxScopes: 10,
      maxStoredScopes: 100,
    });
    const middleware = semanticCache({ cache, thresholdFor: () => 0.75, ttlMs: 60_000, onHit: () => {}, onError: () => {} });
    for (const text of ['How do I reset my password?', 'How long does shipping take?']) {
      const { context, settle } = call(text);
      await middleware(context, async () => ({ kind: 'completion', completion: completion(text) }));
      await settle({ error: undefined, completion: completion(text) });
    }
    // The first question's lookup finds an empty scope and embeds nothing; the second's lookup and store share one embedding.
    assert.equal(embedded.length, 2);
    assert.equal(cache.size, 2);
  });
});
