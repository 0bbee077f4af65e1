import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { chatRequestSchema } from '../../src/wire/chat.js';
import { answer, OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { bearer, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

/*
 * Money spent upstream is money spent: a call the upstream received is charged even when
 * nobody reads its answer (the client left, the deployment timed out and a fallback answered),
 * and an answer without `usage` is charged for its text. Before, each of these cost $0.
 */

// USD per 1M tokens. The timed-out deployment and its fallback differ, so each share shows.
const price = { input: 1000, output: 2000 };
const fallbackPrice = { input: 100, output: 300 };
const cap = 50;
const tokens = new TokenCounter();
const usd = (unit: { input: number; output: number }, input: number, output: number) => (unit.input * input + unit.output * output) / 1e6;

function promptTokens(model: string, content: string): number {
  return tokens.countChat(chatRequestSchema.parse({ model, messages: [{ role: 'user', content }], max_tokens: cap }));
}

describe('money never leaks: calls the upstream received are charged', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let url: string;
  /** Resolves with each request a held (never answered) deployment receives. */
  let heldReceived: () => void = () => {};
  const silentText = 'The answer is forty-two, and here is a longer explanation of why that is so.';

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      const model = String(request.body.model);
      if (model === 'held' || model === 'slow') {
        // Generating, never finishing: the gateway's timeout or the client's exit ends it.
        if (model === 'held') heldReceived();
        return true;
      }
      if (model === 'no-usage') {
        sendJson(response, 200, {
          id: 'chatcmpl-silent',
          object: 'chat.completion',
          created: 1_700_000_000,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: silentText }, finish_reason: 'stop' }],
        });
        return true;
      }
      answer(request, response);
      return true;
    });
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        held: { deployments: [{ provider: 'upstream', model: 'held', retries: 0, price }] },
        'timeout-fallback': {
          deployments: [
            { provider: 'upstream', model: 'slow', retries: 0, timeoutMs: 200, price },
            { provider: 'upstream', model: 'fast', retries: 0, price: fallbackPrice },
          ],
        },
        silent: { deployments: [{ provider: 'upstream', model: 'no-usage', retries: 0, price }] },
      },
    });
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const body = (model: string, content: string) => ({ model, messages: [{ role: 'user', content }], max_tokens: cap });
  const chat = (key: string, model: string, content: string) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), 'cache-control': 'no-store' }, payload: body(model, content) });

  /** The key's ledger once its one row is written. */
  async function ledgerOf(key: string) {
    const keyId = (await test.app.keys.authenticate(key)).id;
    let rows: Awaited<ReturnType<typeof test.app.store.ledger.aggregateUsage>> = [];
    await waitFor(async () => {
      await test.app.ledgerWriter.flush();
      rows = await test.app.store.ledger.aggregateUsage({ from: 0, to: Date.now() + 1, keyId });
      return rows.length > 0;
    });
    assert.equal(rows.length, 1);
    return rows[0]!;
  }

  /** A real client that hangs up once the upstream has the request, before any answer. */
  async function disconnectAfterUpstreamReceived(key: string, content: string): Promise<void> {
    const received = new Promise<void>((resolve) => (heldReceived = resolve));
    const controller = new AbortController();
    const response = fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(body('held', content)),
      signal: controller.signal,
    });
    await received;
    controller.abort();
    await assert.rejects(response, { name: 'AbortError' });
  }

  it('charges a client that disconnects after the upstream received the request: prompt + the output cap, recorded as client-closed', async () => {
    const key = await test.key();
    await disconnectAfterUpstreamReceived(key, 'tell me a long story');
    const row = await ledgerOf(key);
    const input = promptTokens('held', 'tell me a long story');
    assert.equal(row.errors, 1, 'recorded with its error status (499)');
    assert.equal(row.inputTokens, input);
    assert.equal(row.outputTokens, cap);
    assert.ok(Math.abs(row.costUsd - usd(price, input, cap)) < 1e-9, `charged ${row.costUsd}`);
  });

  it('charges a timed-out attempt and the fallback that answered, each at its own price', async () => {
    const key = await test.key();
    const response = await chat(key, 'timeout-fallback', 'are you there?');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      upstream.chatRequests().map((request) => request.body.model),
      ['slow', 'fast'],
    );
    const row = await ledgerOf(key);
    const input = promptTokens('timeout-fallback', 'are you there?');
    // The fallback's upstream reported 11 prompt and 7 completion tokens.
    assert.equal(row.inputTokens, input + 11);
    assert.equal(row.outputTokens, cap + 7);
    const expected = usd(price, input, cap) + usd(fallbackPrice, 11, 7);
    assert.ok(Math.abs(row.costUsd - expected) < 1e-9, `charged ${row.costUsd}, expected ${expected}`);
  });

  it('charges an answer without usage for the tokens of its text, not 0', async () => {
    const key = await test.key();
    const response = await chat(key, 'silent', 'why?');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().choices[0].message.content, silentText);
    const row = await ledgerOf(key);
    const input = promptTokens('silent', 'why?');
    const output = tokens.count(silentText);
    assert.ok(output > 10);
    assert.equal(row.inputTokens, input);
    assert.equal(row.outputTokens, output);
    assert.ok(Math.abs(row.costUsd - usd(price, input, output)) < 1e-9, `charged ${row.costUsd}`);
  });

  it('refuses the next call of a budget drained by an abandoned call, without calling the upstream', async () => {
    const content = 'tell me a long story';
    const input = promptTokens('held', content);
    const reservation = usd(price, Math.ceil(input * 1.1) + 8, cap);
    const key = await test.key({ budget: { usd: reservation * 1.5, period: 'day' } });
    await disconnectAfterUpstreamReceived(key, content);
    // The ledger row is written after the budget settled the call.
    assert.ok(Math.abs((await ledgerOf(key)).costUsd - usd(price, input, cap)) < 1e-9);
    upstream.requests.length = 0;
    const refused = await chat(key, 'held', content);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, 'BUDGET_EXCEEDED');
    assert.equal(upstream.requests.length, 0);
  });
});
