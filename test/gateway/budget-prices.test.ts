import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/*
 * A deployment without a price costs $0, so a budget does not hold on it. Breakwater says so
 * at start-up and at a budgeted key's first call there, or, with pricing.requireForBudgets,
 * refuses to start.
 */
describe('budgets and deployments without a price', () => {
  let upstream: OpenAIUpstream;
  const models = {
    priced: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] },
    mystery: { deployments: [{ provider: 'upstream', model: 'mystery-model', retries: 0 }] },
    declared: { deployments: [{ provider: 'upstream', model: 'in-house', retries: 0, price: { input: 0, output: 0 } }] },
  };
  const config = (pricing: Record<string, unknown> = {}) => ({ providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } }, models, pricing });
  const warnings = (test: TestApp) =>
    test
      .logs()
      .split('\n')
      .filter((line) => line.includes('"level":40'))
      .map((line) => JSON.parse(line) as { msg: string; deployments?: string[]; keyId?: string; alias?: string });

  before(async () => {
    upstream = await OpenAIUpstream.start();
  });
  after(async () => {
    await upstream.close();
  });

  it('warns at start-up naming each deployment without a price, and not one priced at $0 on purpose', async () => {
    const test = await startTestApp(config());
    try {
      const startup = warnings(test).filter((warning) => warning.msg.includes('knows no price'));
      assert.equal(startup.length, 1);
      assert.deepEqual(startup[0]!.deployments, ['upstream/mystery-model']);
      assert.match(startup[0]!.msg, /pricing\.requireForBudgets/);
    } finally {
      await test.close();
    }
  });

  it('counts models running in this process as free: the embedded default catalogue starts without the warning', async () => {
    const test = await startTestApp({});
    try {
      assert.ok(test.app.gateway.aliasesFor({ allowedModels: null } as never).some((route) => route.alias === 'local'));
      assert.deepEqual(
        warnings(test).filter((warning) => warning.msg.includes('knows no price')),
        [],
      );
    } finally {
      await test.close();
    }
  });

  it('names the key at its first budgeted call to a deployment without a price, once', async () => {
    const test = await startTestApp(config());
    try {
      const key = await test.key({ budget: { usd: 1, period: 'day' } });
      const keyId = (await test.app.keys.authenticate(key)).id;
      for (let call = 0; call < 2; call++) {
        const response = await test.server.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: { ...bearer(key), 'cache-control': 'no-store' },
          payload: { model: 'mystery', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
        });
        assert.equal(response.statusCode, 200);
      }
      const perKey = warnings(test).filter((warning) => warning.keyId !== undefined);
      assert.deepEqual(
        perKey.map((warning) => [warning.keyId, warning.alias, warning.deployments]),
        [[keyId, 'mystery', ['upstream/mystery-model']]],
      );
    } finally {
      await test.close();
    }
  });

  it('refuses to start with pricing.requireForBudgets while a deployment has no price, saying how to fix it', async () => {
    await assert.rejects(startTestApp(config({ requireForBudgets: true })), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, /upstream\/mystery-model/);
      assert.match(error.message, /pricing\.<model>/);
      return true;
    });
    const test = await startTestApp(config({ requireForBudgets: true, 'mystery-model': { input: 1, output: 2 } }));
    await test.close();
  });
});
