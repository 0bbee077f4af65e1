import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/*
 * A key allowed `auto` and the small model reached the large one whenever the router picked it.
 * The router now picks only among the tiers whose alias the key may use.
 */
describe("an auto alias keeps to the key's allowed models", () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const hard = 'Prove that the square root of 2 is irrational, step by step.';
  const chat = (secret: string, content: string, headers: Record<string, string> = {}) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(secret), 'cache-control': 'no-store', ...headers },
      payload: { model: 'auto', messages: [{ role: 'user', content }] },
    });

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

  it('sends a hard request of a key allowed only the small tier to the small model, and says why', async () => {
    const open = await test.key();
    assert.equal((await chat(open, hard)).headers['x-breakwater-route'], 'large; model=big', 'the request is hard enough for the large tier');

    const smallOnly = await test.key({ allowedModels: ['auto', 'mini'] });
    const before = upstream.chatRequests().length;
    const response = await chat(smallOnly, hard);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-breakwater-route'], 'small; model=mini');
    assert.match(String(response.headers['x-breakwater-route-reason']), /tier "large" is not in this key's allowed models/);
    assert.deepEqual(
      upstream
        .chatRequests()
        .slice(before)
        .map((request) => request.body.model),
      ['gpt-4o-mini'],
    );
    const hinted = await chat(smallOnly, 'hi', { 'x-breakwater-route-hint': 'large' });
    assert.equal(hinted.headers['x-breakwater-route'], 'small; model=mini', 'a hint opens no tier');
  });

  it('refuses a key allowed auto but none of its tiers with 403 MODEL_NOT_ALLOWED and calls nothing', async () => {
    const autoOnly = await test.key({ allowedModels: ['auto'] });
    const before = upstream.requests.length;
    const response = await chat(autoOnly, 'hello');
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error.code, 'MODEL_NOT_ALLOWED');
    assert.match(response.json().error.message, /mini, big/);
    assert.equal(upstream.requests.length, before);
  });
});
