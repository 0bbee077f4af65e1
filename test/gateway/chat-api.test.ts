import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, sseData, startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

describe('POST /v1/chat/completions through an OpenAI-compatible upstream', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('answers in the OpenAI shape with the gateway headers, and sends the provider key upstream only', async () => {
    const response = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'x-request-id': 'req-123' },
      payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'hello' }] },
    });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.content, 'echo: hello');
    assert.deepEqual(body.usage, { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    assert.equal(response.headers['x-request-id'], 'req-123');
    assert.equal(response.headers['x-breakwater-deployment'], 'upstream/gpt-4o-mini');
    assert.equal(response.headers['x-breakwater-attempts'], '1');
    assert.equal(response.headers['x-breakwater-cache'], 'miss');
    assert.match(String(response.headers['x-breakwater-overhead-ms']), /^\d+\.\d{3}$/);
    const sent = upstream.chatRequests().at(-1)!;
    assert.equal(sent.headers.authorization, `Bearer ${upstreamSecret}`);
    assert.equal(sent.body.model, 'gpt-4o-mini');
    assert.ok(!response.body.includes(upstreamSecret));
  });

  it('passes tools, tool_choice, response_format, stop, sampling and caps through unchanged', async () => {
    const payload = {
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' }, strict: true } },
      stop: ['END'],
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      max_completion_tokens: 50,
      verbosity: 'low',
      user: 'u-1',
      metadata: { feature: 'test' },
    };
    const response = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), 'cache-control': 'no-store' }, payload });
    assert.equal(response.statusCode, 200);
    const sent = upstream.chatRequests().at(-1)!.body;
    for (const field of [
      'messages',
      'tools',
      'tool_choice',
      'response_format',
      'stop',
      'temperature',
      'top_p',
      'seed',
      'max_completion_tokens',
      'verbosity',
      'user',
      'metadata',
    ] as const) {
      assert.deepEqual(sent[field], payload[field], field);
    }
  });

  it('streams SSE chunks, with the usage chunk only when stream_options.include_usage is set', async () => {
    for (const includeUsage of [true, false]) {
      const response = await test.server.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { ...bearer(key), 'cache-control': 'no-store' },
        payload: {
          model: 'gpt-test',
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
          messages: [{ role: 'user', content: 'stream this please' }],
        },
      });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/event-stream/);
      assert.equal(response.headers['x-breakwater-deployment'], 'upstream/gpt-4o-mini');
      const events = sseData(response.body);
      assert.equal(events.at(-1), '[DONE]');
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
      const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
      assert.equal(text, 'echo: stream this please');
      const usageChunks = chunks.filter((chunk) => chunk.usage);
      assert.equal(usageChunks.length, includeUsage ? 1 : 0);
      // Breakwater always asks the upstream for usage, so the ledger is exact either way.
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.stream_options, { include_usage: true });
    }
  });

  it('lists only the aliases the key may use', async () => {
    const limited = await test.key({ allowedModels: ['embed-test'] });
    const all = await test.server.inject({ method: 'GET', url: '/v1/models', headers: bearer(key) });
    assert.deepEqual(
      all
        .json()
        .data.map((model: { id: string }) => model.id)
        .sort(),
      ['embed-test', 'gpt-test'],
    );
    const some = await test.server.inject({ method: 'GET', url: '/v1/models', headers: bearer(limited) });
    assert.deepEqual(
      some.json().data.map((model: { id: string }) => model.id),
      ['embed-test'],
    );
    const forbidden = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(limited),
      payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] },
    });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().error.code, 'MODEL_NOT_ALLOWED');
  });

  it('returns embeddings as floats or as base64 float32', async () => {
    const floats = await test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: bearer(key), payload: { model: 'embed-test', input: ['a', 'b'] } });
    assert.equal(floats.statusCode, 200);
    assert.deepEqual(floats.json().data[1].embedding, [1.25, 0.5, -0.5]);
    const encoded = await test.server.inject({
      method: 'POST',
      url: '/v1/embeddings',
      headers: bearer(key),
      payload: { model: 'embed-test', input: 'a', encoding_format: 'base64' },
    });
    const bytes = Buffer.from(encoded.json().data[0].embedding, 'base64');
    assert.deepEqual([...new Float32Array(bytes.buffer, bytes.byteOffset, 3)], [0.25, 0.5, -0.5]);
    assert.equal(encoded.json().usage.prompt_tokens, 3);
  });
});
