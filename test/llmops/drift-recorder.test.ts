import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { DriftRecorder } from '../../src/core/drift/drift-recorder.js';
import type { CallContext, CallSettlement } from '../../src/core/gateway/call-context.js';
import type { AliasRoute } from '../../src/core/routing/alias-route.js';
import type { ChatCompletion, ChatRequest } from '../../src/wire/chat.js';
import { testCallContext } from '../support/call-context.js';

const schema = { type: 'object', required: ['total'], properties: { total: { type: 'number' } } };

function completion(content: string, extra: { refusal?: string; finish?: 'stop' | 'content_filter' } = {}): ChatCompletion {
  return {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content, ...(extra.refusal ? { refusal: extra.refusal } : {}) }, finish_reason: extra.finish ?? 'stop' }],
  } as ChatCompletion;
}

describe('drift recorder: what each answered chat call adds to its series (alias, prompt version, pipeline)', () => {
  let store: SqliteStore;
  let recorder: DriftRecorder;
  before(async () => {
    store = await SqliteStore.open(':memory:');
    await store.migrate();
    const embedder = new HashedNgramEmbedder({ dimension: 128 });
    recorder = new DriftRecorder({
      store: store.drift,
      embed: (texts) => embedder.embed(texts),
      embedderId: embedder.id,
      maxEmbedPerSecond: 2,
      maxInputChars: 200,
      flushMs: 60_000,
      onError: (error) => assert.fail(String(error)),
    });
  });
  after(() => store.close());

  async function run(overrides: Partial<CallContext>, answer: ChatCompletion, request?: ChatRequest): Promise<void> {
    let deferred: ((settlement: CallSettlement) => void | Promise<void>) | undefined;
    const context = testCallContext({
      route: { alias: 'gpt-test' } as AliasRoute,
      ...(request ? { input: { operation: 'chat', request } } : {}),
      ...overrides,
      defer: (step) => (deferred = step),
    });
    await recorder.middleware(context, async () => ({ kind: 'completion', completion: answer }) as never);
    await deferred?.({ error: undefined, completion: answer });
  }

  it('counts schema failures, repairs (re-asks), refusals and embeds inputs at most so many a second; cache hits are left out', async () => {
    const structured: ChatRequest = {
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Invoice 7: total 12.50 EUR' }],
      response_format: { type: 'json_schema', json_schema: { name: 'invoice', schema } },
    };
    const origin = (attempt: number) => ({ origin: { pipeline: 'invoice', attempt }, prompt: { name: 'invoice-extract', version: 3, label: 'production' } });
    await run(origin(1), completion('{"total": "twelve"}'), structured);
    await run(origin(2), completion('{"total": 12.5}'), structured);
    await run(origin(1), completion('not json at all'), structured);
    await run({ cache: 'hit' }, completion('{"total": 1}'), structured);
    await run({}, completion('', { refusal: 'I will not do that.' }));
    await run({}, completion("I'm sorry, but I can't help with that."));
    await run({}, completion('Here is the summary you asked for.'));
    await recorder.flush();

    const rows = await store.drift.window(0, Date.now() + 60_000);
    const invoice = rows.find((row) => row.pipeline === 'invoice')!;
    assert.deepEqual(
      [invoice.alias, invoice.promptName, invoice.promptVersion, invoice.requests, invoice.schemaChecked, invoice.schemaFailures, invoice.repairs, invoice.refusals],
      ['gpt-test', 'invoice-extract', 3, 3, 3, 2, 1, 0],
    );
    const plain = rows.find((row) => row.pipeline === null)!;
    assert.deepEqual([plain.requests, plain.schemaChecked, plain.refusals], [3, 0, 2], 'the cache hit is not counted; two of three refused');
    // Two embeddings a second at most: the seven calls ran within a second or two, so not all were embedded.
    const embedded = rows.reduce((total, row) => total + row.embedded, 0);
    assert.ok(embedded >= 2 && embedded < 6, `${embedded} inputs embedded`);
    assert.equal(invoice.embeddingSum?.length, 128);
  });
});
