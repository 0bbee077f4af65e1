import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/** POST /v1/feedback: ratings of routed calls, scoped to the caller's tenant, stored with the call's vector. */
describe('route feedback', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const chat = (secret: string, content: string, requestId: string) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(secret), 'cache-control': 'no-store', 'x-request-id': requestId },
      payload: { model: 'auto', messages: [{ role: 'user', content }] },
    });
  const rate = (secret: string, payload: Record<string, unknown>) => test.server.inject({ method: 'POST', url: '/v1/feedback', headers: bearer(secret), payload });

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        mini: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] },
        big: { deployments: [{ provider: 'upstream', model: 'gpt-4o', retries: 0 }] },
      },
      autoRoutes: {
        auto: {
          tiers: [
            { name: 'small', alias: 'mini' },
            { name: 'large', alias: 'big' },
          ],
        },
      },
    });
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('stores a rating of a routed call, right after the call, with the vector and no prompt text', async () => {
    const secret = await test.key({ tenant: 'acme' });
    const prompt = 'Do you ship to Austria, Mrs Featherstonehaugh?';
    assert.equal((await chat(secret, prompt, 'fb-call-1')).statusCode, 200);
    const response = await rate(secret, { request_id: 'fb-call-1', rating: 'bad', should_have_been: 'large', note: 'needed more care' });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      { ...(response.json() as Record<string, unknown>), created: 0 },
      { object: 'route.feedback', request_id: 'fb-call-1', model: 'auto', routed_tier: 'small', rating: 'bad', should_have_been: 'large', created: 0 },
    );
    const [stored] = await test.app.store.feedback.listRated({ tenant: 'acme', limit: 10 });
    assert.equal(stored?.feedback.shouldHaveBeen, 'large');
    assert.ok(stored!.observation.vector.ngrams.length > 0);
    assert.doesNotMatch(JSON.stringify(stored), /Featherstonehaugh/i, 'the stored row holds no prompt text');
  });

  it("reports another tenant's request id, and an unknown one, as not found in the OpenAI envelope", async () => {
    const owner = await test.key({ tenant: 'globex' });
    const stranger = await test.key({ tenant: 'initech' });
    assert.equal((await chat(owner, 'What are your opening hours?', 'fb-call-2')).statusCode, 200);
    for (const requestId of ['fb-call-2', 'never-made']) {
      const response = await rate(stranger, { request_id: requestId, rating: 'good' });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'ROUTE_FEEDBACK_NOT_FOUND');
      assert.equal(response.json().error.param, 'request_id');
    }
    assert.equal((await rate(owner, { request_id: 'fb-call-2', rating: 'good' })).statusCode, 200);
  });

  it('refuses an unknown tier, a bad rating and a call without a key', async () => {
    const secret = await test.key({ tenant: 'hooli' });
    assert.equal((await chat(secret, 'hello', 'fb-call-3')).statusCode, 200);
    const tier = await rate(secret, { request_id: 'fb-call-3', rating: 'bad', should_have_been: 'medium' });
    assert.equal(tier.statusCode, 400);
    assert.equal(tier.json().error.code, 'INVALID_REQUEST');
    assert.match(tier.json().error.message, /"small", "large"/);
    const rating = await rate(secret, { request_id: 'fb-call-3', rating: 'meh' });
    assert.equal(rating.statusCode, 400);
    assert.equal(rating.json().error.param, 'rating');
    const anonymous = await test.server.inject({ method: 'POST', url: '/v1/feedback', payload: { request_id: 'fb-call-3', rating: 'good' } });
    assert.equal(anonymous.statusCode, 401);
  });
});
