import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { offThreadParseBytes } from '../../src/http/json-body.js';
import { parseJsonBody } from '../../src/adapters/json/json-text.js';
import { loopGapMeter } from '../support/loop-gap.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

/**
 * Request bodies are read the same way below and above `offThreadParseBytes` (on the loop,
 * or in the parse thread): same values, same refusals. Lone surrogates become U+FFFD, as a
 * UTF-8 encoder would make them, instead of costing ~70 ms per serialisation of 4 MB.
 */
describe('JSON request bodies, small and large', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url, { server: { bodyLimitBytes: 20 * 1024 * 1024 } }), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  // no-cache: the small and the large body of a case are the same request.
  const post = (payload: string) =>
    test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), 'content-type': 'application/json', 'cache-control': 'no-cache' }, payload });
  /** A chat body whose message holds `text` (raw JSON string content, escapes allowed), padded past the parse-thread threshold when `large`. */
  const chatBody = (text: string, large: boolean) => {
    const padding = large ? ' '.repeat(offThreadParseBytes) : '';
    return `{"model":"gpt-test","messages":[{"role":"user","content":"${text}"}]${padding}}`;
  };

  for (const large of [false, true]) {
    const size = large ? 'large' : 'small';

    it(`forwards a ${size} body's text exactly, escapes and astral characters included`, async () => {
      const response = await post(chatBody('caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" \\\\ tab\\t', large));
      assert.equal(response.statusCode, 200, response.body);
      const sent = upstream.chatRequests().at(-1)!.body as { messages: Array<{ content: string }> };
      assert.equal(sent.messages[0]!.content, 'café 😀 "quoted" \\ tab\t');
    });

    it(`replaces lone surrogates in a ${size} body by U+FFFD, keys included`, async () => {
      const response = await post(chatBody('a\\ud800b\\uDC00c \\ud83d\\ude00', large).replace('"model"', '"metadata":{"k\\udbff":"v\\ud801"},"model"'));
      assert.equal(response.statusCode, 200, response.body);
      const sent = upstream.chatRequests().at(-1)!.body as { messages: Array<{ content: string }> };
      assert.equal(sent.messages[0]!.content, 'a\ufffdb\ufffdc 😀');
    });

    it(`refuses a ${size} body that is not JSON, or has a __proto__ key, with INVALID_JSON`, async () => {
      for (const payload of [chatBody('unterminated', large).slice(0, -3), chatBody('x', large).replace('"model"', '"__proto__":{"admin":true},"model"')]) {
        const response = await post(payload);
        assert.equal(response.statusCode, 400, response.body.slice(0, 300));
        assert.equal(response.json().error.code, 'INVALID_JSON');
      }
    });

    it(`refuses a ${size} body nested past the limit with INVALID_REQUEST`, async () => {
      const response = await post(chatBody('x', large).replace('"model"', `"audio":${'['.repeat(65)}${']'.repeat(65)},"model"`));
      assert.equal(response.statusCode, 400, response.body.slice(0, 300));
      assert.equal(response.json().error.code, 'INVALID_REQUEST');
      assert.match(response.json().error.message, /deeper than 64/);
    });
  }

  it('parses a 16 MB body without holding the event loop for the parse', async () => {
    const payload = `{"model":"gpt-test","max_tokens":1,"messages":[{"role":"user","content":"${'ab '.repeat((16 * 1024 * 1024) / 3)}"}]}`;
    // What the parse alone holds the loop for on this machine now, to compare against.
    const started = performance.now();
    assert.ok(parseJsonBody(Buffer.from(payload)).ok);
    const onLoopMs = performance.now() - started;
    // inject turns the payload into a Buffer on the loop: do it before measuring.
    const bytes = Buffer.from(payload);
    const meter = loopGapMeter();
    const response = await test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: bytes });
    const heldMs = meter.stop() - 5;
    // The body has no `input`: refused after the parse, so the answer costs nothing more.
    assert.equal(response.statusCode, 400, response.body.slice(0, 200));
    assert.ok(heldMs < onLoopMs / 2, `the loop was held ${heldMs.toFixed(0)} ms; parsing on the loop takes ${onLoopMs.toFixed(0)} ms`);
  });
});
