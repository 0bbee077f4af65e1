import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { chatRequestSchema } from '../../src/wire/chat.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, sseData, startTestApp, type TestApp } from '../support/test-app.js';

// USD per token: input 0.001, output 0.002 (prices are per 1M tokens in config).
const price = { input: 1000, output: 2000 };
const perInput = price.input / 1e6;
const perOutput = price.output / 1e6;
const tokens = new TokenCounter();

/** What the budget middleware reserves for a prompt: tokenizer count + 10% + 8, plus the output cap. */
function reservation(content: string, cap: number): number {
  const request = chatRequestSchema.parse({ model: 'priced', messages: [{ role: 'user', content }] });
  return (Math.ceil(tokens.countChat(request) * 1.1) + 8) * perInput + cap * perOutput;
}

describe('rate limits and budgets hold under concurrency', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const chat = (key: string, content: string, extra: Record<string, unknown> = {}) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'cache-control': 'no-store' },
      payload: { model: 'priced', messages: [{ role: 'user', content }], ...extra },
    });

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { priced: { deployments: [{ provider: 'upstream', model: 'm', retries: 0, price }] } },
    });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('200 concurrent requests against 50 RPM → exactly 50 succeed, the rest get 429 with Retry-After', async () => {
    const key = await test.key({ rpm: 50 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, index) => chat(key, `q${index}`)));
    const ok = responses.filter((response) => response.statusCode === 200);
    const limited = responses.filter((response) => response.statusCode === 429);
    assert.equal(ok.length, 50);
    assert.equal(limited.length, 150);
    assert.equal(upstream.requests.length, 50);
    for (const response of limited) {
      assert.equal(response.json().error.code, 'RATE_LIMIT_EXCEEDED');
      assert.equal(response.headers['x-should-retry'], 'true');
      const retryAfter = Number(response.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 61, `retry-after ${retryAfter}: a minute in 100 ms buckets, rounded up`);
    }
  });

  it('TPM reserves prompt + cap up front and trues up to the reported usage', async () => {
    const cap = 60;
    const key = await test.key({ tpm: 100 });
    const concurrent = await Promise.all(Array.from({ length: 5 }, (_, index) => chat(key, `hello ${index}`, { max_tokens: cap })));
    assert.equal(concurrent.filter((response) => response.statusCode === 200).length, 1);
    assert.ok(concurrent.filter((response) => response.statusCode === 429).every((response) => response.json().error.code === 'TOKEN_RATE_LIMIT_EXCEEDED'));
    // The upstream reported 18 tokens, not ~70: after the true-up another request fits.
    const deadline = Date.now() + 2_000;
    let next;
    do next = await chat(key, 'hello again', { max_tokens: cap });
    while (next.statusCode === 429 && Date.now() < deadline);
    assert.equal(next.statusCode, 200);
  });

  it('refuses a request larger than the whole TPM limit as not retryable', async () => {
    const key = await test.key({ tpm: 100 });
    const response = await chat(key, 'too big', { max_tokens: 500 });
    assert.equal(response.statusCode, 429);
    assert.equal(response.json().error.code, 'TOKEN_RATE_LIMIT_EXCEEDED');
    assert.equal(response.headers['x-should-retry'], 'false');
    assert.equal(response.headers['retry-after'], undefined);
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses a request that cannot fit the remaining budget with 429 BUDGET_EXCEEDED and no upstream call', async () => {
    const cap = 10;
    const budget = reservation('first', cap) * 1.5;
    const key = await test.key({ budget: { usd: budget, period: 'total' } });
    assert.equal((await chat(key, 'first', { max_tokens: cap })).statusCode, 200);
    const refused = await chat(key, 'first', { max_tokens: cap });
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, 'BUDGET_EXCEEDED');
    assert.equal(refused.headers['x-should-retry'], 'false', 'SDKs must not retry a spent total budget');
    assert.equal(upstream.requests.length, 1);
  });

  it('sets the largest output cap the budget affords when the client sets none', async () => {
    const budget = reservation('how long can you talk?', 40) + perOutput / 2;
    const key = await test.key({ budget: { usd: budget, period: 'day' } });
    const response = await chat(key, 'how long can you talk?');
    assert.equal(response.statusCode, 200);
    assert.equal(upstream.requests[0]!.body.max_tokens, 40);
  });

  it('200 concurrent streams against a budget for about 50: spend stays within it and exactly that many are served', async () => {
    const cap = 10;
    const perRequest = reservation('stream 000', cap);
    const budget = perRequest * 50.5;
    const key = await test.key({ budget: { usd: budget, period: 'month' } });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => chat(key, `stream ${String(index).padStart(3, '0')}`, { stream: true, max_tokens: cap, stream_options: { include_usage: true } })),
    );
    const served = responses.filter((response) => response.statusCode === 200 && sseData(response.body).at(-1) === '[DONE]');
    assert.equal(served.length, 50);
    assert.equal(upstream.requests.length, 50);
    await test.app.ledgerWriter.flush();
    await new Promise((resolve) => setImmediate(resolve));
    await test.app.ledgerWriter.flush();
    const keyId = (await test.app.keys.list()).find((candidate) => candidate.budget?.usd === budget)!.id;
    const spent = await test.app.store.ledger.spendSince(keyId, 0);
    assert.ok(spent > 0 && spent <= budget, `spent ${spent} of ${budget}`);
    // Each answer cost exactly its reported usage: 11 input and 7 output tokens.
    assert.ok(Math.abs(spent - 50 * (11 * perInput + 7 * perOutput)) < 1e-6);
  });
});
