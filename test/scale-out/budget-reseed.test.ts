import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { chatRequestSchema } from '../../src/wire/chat.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

/*
 * Losing Redis reset budgets: the reserve script read a missing counter as 0, and each process
 * seeded a counter only once. A gateway on real Redis counters now re-seeds a lost counter from
 * the ledger before reserving.
 */
const redisUrl = process.env.BREAKWATER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bw_test_${randomBytes(4).toString('hex')}:`;
// USD per 1M tokens; the upstream reports 11 prompt and 7 completion tokens every call.
const price = { input: 1000, output: 2000 };
const cap = 20;
const costUsd = (11 * price.input + 7 * price.output) / 1e6;

describe('a budget on Redis counters that Redis lost', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const redis = new Redis(redisUrl);
  const chat = (key: string) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'cache-control': 'no-store' },
      payload: { model: 'priced', messages: [{ role: 'user', content: 'hello' }], max_tokens: cap },
    });

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(
      {
        providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
        models: { priced: { deployments: [{ provider: 'upstream', model: 'm', retries: 0, price }] } },
        counters: { driver: 'redis', url: { env: 'TEST_REDIS_URL' }, prefix },
      },
      { env: { TEST_REDIS_URL: redisUrl } },
    );
  });
  after(async () => {
    await test.close();
    await upstream.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('is re-seeded from the ledger, so the spend before the loss still counts', async () => {
    const prompt = new TokenCounter().countChat(chatRequestSchema.parse({ model: 'priced', messages: [{ role: 'user', content: 'hello' }], max_tokens: cap }));
    const reservation = ((Math.ceil(prompt * 1.1) + 8) * price.input + cap * price.output) / 1e6;
    assert.ok(reservation > costUsd);
    // Two calls fit; a third would need a reservation the rest cannot cover.
    const budget = 2 * costUsd + reservation - costUsd / 2;
    const key = await test.key({ budget: { usd: budget, period: 'day' } });
    const keyId = (await test.app.keys.authenticate(key)).id;
    for (let call = 0; call < 2; call++) assert.equal((await chat(key)).statusCode, 200);
    await waitFor(async () => {
      await test.app.ledgerWriter.flush();
      return Math.abs((await test.app.store.ledger.spendSince(keyId, 0)) - 2 * costUsd) < 1e-9;
    });

    const lost = await redis.keys(`${prefix}budget:*`);
    assert.ok(lost.length > 0, 'the budget lived in Redis');
    await redis.del(...lost); // a Redis restart without persistence, or an eviction

    const refused = await chat(key);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error.code, 'BUDGET_EXCEEDED');
    assert.equal(upstream.chatRequests().length, 2);
    const [counter] = await redis.keys(`${prefix}budget:{budget:${keyId}:*}`);
    assert.ok(counter, 'the counter exists again');
    assert.ok(Math.abs(Number(await redis.hget(counter, 'spent')) - 2 * costUsd) < 1e-9);
  });
});
