import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream, sendSse } from '../support/openai-upstream.js';
import { adminToken, bearer, sseData, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

/*
 * The governance middleware through the real HTTP server and a real upstream on port 0:
 * the cost-aware router of an `auto` alias, and PII scrubbing with reversible placeholders.
 */
describe('cost-aware router and PII scrubbing through the gateway', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  const chat = (payload: Record<string, unknown>, headers: Record<string, string> = {}, secret = key) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(secret), 'cache-control': 'no-store', ...headers }, payload });
  const usage = async (model: string) => {
    const response = await test.server.inject({ method: 'GET', url: `/v1/usage?model=${model}`, headers: bearer(adminToken) });
    return response.json().data as Array<{ route_tier: string | null; requests: number; pii_detections: Record<string, number> }>;
  };

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        mini: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] },
        big: { deployments: [{ provider: 'upstream', model: 'gpt-4o', retries: 0 }] },
        private: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], pii: { mode: 'redact' } },
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
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('routes an easy request to the small tier and a hard one to the large, saying why', async () => {
    const easy = await chat({ model: 'auto', messages: [{ role: 'user', content: 'What are your opening hours on Saturday?' }] });
    assert.equal(easy.statusCode, 200);
    assert.equal(easy.headers['x-breakwater-deployment'], 'upstream/gpt-4o-mini');
    assert.equal(easy.headers['x-breakwater-route'], 'small; model=mini');
    assert.ok(String(easy.headers['x-breakwater-route-reason']).length > 0);

    const hard = await chat({
      model: 'auto',
      messages: [
        {
          role: 'user',
          content:
            "Our checkout crashes. Here is the stack trace:\n```\nTypeError: Cannot read properties of undefined (reading 'id')\n    at applyDiscount (cart.js:88:17)\n    at Checkout.submit (checkout.js:41:5)\n```\nFind the bug, refactor applyDiscount, and explain step by step why it fails.",
        },
      ],
    });
    assert.equal(hard.statusCode, 200);
    assert.equal(hard.headers['x-breakwater-deployment'], 'upstream/gpt-4o');
    assert.equal(hard.headers['x-breakwater-route'], 'large; model=big');
    assert.match(String(hard.headers['x-breakwater-route-reason']), /stack trace|code/);
    assert.equal(upstream.chatRequests().at(-1)?.body.model, 'gpt-4o');

    const rows = await usage('auto');
    assert.deepEqual(
      rows.map((row) => [row.route_tier, row.requests]).sort(),
      [
        ['large', 1],
        ['small', 1],
      ],
      'the ledger keeps the decision per tier',
    );
  });

  it('lets an explicit hint header pick the tier', async () => {
    const hinted = await chat({ model: 'auto', messages: [{ role: 'user', content: 'Hi there!' }] }, { 'x-breakwater-route-hint': 'large' });
    assert.equal(hinted.headers['x-breakwater-route'], 'large; model=big');
    assert.match(String(hinted.headers['x-breakwater-route-reason']), /hint/);
  });

  it('redacts personal data before the provider and restores it in the answer', async () => {
    const before = upstream.chatRequests().length;
    const response = await chat({ model: 'private', messages: [{ role: 'user', content: 'Please email jane.doe@example.com or call +44 20 7946 0958 today.' }] });
    assert.equal(response.statusCode, 200);
    const sent = JSON.stringify(upstream.chatRequests()[before]!.body.messages);
    assert.ok(!sent.includes('jane.doe@example.com') && !sent.includes('7946'), `the provider saw: ${sent}`);
    assert.match(sent, /<EMAIL_1>/);
    // The upstream echoes the (scrubbed) prompt; the client gets its own data back.
    const content = response.json().choices[0].message.content as string;
    assert.match(content, /jane\.doe@example\.com/);
    assert.match(content, /\+44 20 7946 0958/);
    assert.ok(!content.includes('<EMAIL_1>'));
  });

  it('restores a placeholder split across stream chunks', async () => {
    upstream.script = (request, response) => {
      if (!request.body.stream) return;
      const base = { id: 'chatcmpl-split', created: 1, model: 'gpt-4o-mini', object: 'chat.completion.chunk' };
      const pieces = ['Sent to <EM', 'AI', 'L_1', '> just now.'];
      sendSse(response, [
        ...pieces.map((content) => ({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ]);
      return true;
    };
    try {
      const response = await chat({ model: 'private', stream: true, messages: [{ role: 'user', content: 'Confirm to ops@acme.example' }] });
      assert.equal(response.statusCode, 200);
      const text = sseData(response.body)
        .filter((data) => data !== '[DONE]')
        .map((data) => (JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
        .join('');
      assert.equal(text, 'Sent to ops@acme.example just now.');
    } finally {
      upstream.script = undefined;
    }
  });

  it('blocks a request for a key whose policy is block, before anything is sent, and audits counts only', async () => {
    const strict = await test.key({ piiPolicy: 'block' });
    const before = upstream.chatRequests().length;
    const response = await chat({ model: 'mini', messages: [{ role: 'user', content: 'My card is 4111 1111 1111 1111, exp 12/27.' }] }, {}, strict);
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'PII_BLOCKED');
    assert.match(response.json().error.message, /\(1 CARD\)/, 'the message says what was found, by type and count');
    assert.equal(upstream.chatRequests().length, before, 'nothing reached the provider');
    assert.ok(!response.body.includes('4111'), 'the error never echoes the value');
    const rows = await usage('mini');
    assert.ok(
      rows.some((row) => row.pii_detections.CARD === 1),
      JSON.stringify(rows),
    );
    assert.ok(!test.logs().includes('4111 1111'), 'no value in the logs');
  });

  it('leaves requests alone where no policy applies', async () => {
    const before = upstream.chatRequests().length;
    await chat({ model: 'mini', messages: [{ role: 'user', content: 'Write to jane.doe@example.com' }] });
    assert.match(JSON.stringify(upstream.chatRequests()[before]!.body.messages), /jane\.doe@example\.com/);
  });
});

describe('semantic cache through the gateway', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  let otherTenant: string;

  const chat = (content: string, options: { stream?: boolean; secret?: string } = {}) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(options.secret ?? key),
      payload: { model: 'faq', messages: [{ role: 'user', content }], ...(options.stream ? { stream: true } : {}) },
    });

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: {
        faq: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], semanticCache: { enabled: true } },
      },
      // Exact cache off: every hit below is the semantic cache's.
      cache: { exact: { enabled: false }, semantic: { index: { driver: 'hnsw' } } },
    });
    key = await test.key({ tenant: 'acme' });
    otherTenant = await test.key({ tenant: 'globex' });
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('answers a paraphrase from the cache with its similarity, and asks the provider for a near miss', async () => {
    const first = await chat('How do I reset my password?');
    assert.equal(first.headers['x-breakwater-cache'], 'miss');
    // The answer is stored after the response: wait for that deferred step, not a fixed time.
    await waitFor(async () => test.app.semanticCache!.size === 1);
    const calls = upstream.chatRequests().length;

    assert.match(String((await chat('how can i reset my password')).headers['x-breakwater-cache']), /^semantic/);
    const again = await chat('Could you tell me how to reset my password please?');
    // Only content words are embedded, so a rewording that keeps them all scores 1.000.
    assert.match(String(again.headers['x-breakwater-cache']), /^semantic; similarity=(?:0\.\d{3}|1\.000)$/);
    assert.equal(again.json().choices[0].message.content, first.json().choices[0].message.content);
    assert.equal(upstream.chatRequests().length, calls, 'hits never reach the provider');

    const withId = await chat('How do I reset my password for account 48213?');
    assert.equal(withId.headers['x-breakwater-cache'], 'miss', 'an identifier makes it another question');
    assert.equal(upstream.chatRequests().length, calls + 1);
  });

  it('never serves another tenant, and replays a hit as SSE for a stream request', async () => {
    const other = await chat('how can i reset my password', { secret: otherTenant });
    assert.equal(other.headers['x-breakwater-cache'], 'miss');

    const streamed = await chat('What are the steps to reset my password?', { stream: true });
    assert.match(String(streamed.headers['x-breakwater-cache']), /^semantic/);
    const events = sseData(streamed.body);
    assert.equal(events.at(-1), '[DONE]');
    assert.match(
      events
        .slice(0, -1)
        .map((data) => (JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
        .join(''),
      /reset my password/,
    );
  });

  it("forgets a tenant's entries on DELETE /v1/cache/semantic", async () => {
    const cleared = await test.server.inject({ method: 'DELETE', url: '/v1/cache/semantic?model=faq', headers: bearer(key) });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().tenant, 'acme');
    assert.ok(cleared.json().deleted >= 1);
    assert.equal((await chat('how can i reset my password')).headers['x-breakwater-cache'], 'miss');

    const forbidden = await test.server.inject({ method: 'DELETE', url: '/v1/cache/semantic?tenant=globex', headers: bearer(key) });
    assert.equal(forbidden.statusCode, 400, 'a key cannot clear another tenant');
  });
});
