import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { OpenAIUpstream, sendJson, sendSse } from '../../../../test/support/openai-upstream.js';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import { OpenAIProvider } from './openai-provider.js';
import { vendorProfiles } from './vendors.js';

const apiKey = 'upstream-key-of-no-known-shape-7Qx';
const idleMs = 300;
const call = { signal: new AbortController().signal, model: 'gpt-test' };
const ask: ChatRequest = { model: 'gpt', messages: [{ role: 'user', content: 'Hi' }] };
const chunk = (content: string) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

async function failure(promise: Promise<unknown>): Promise<BreakwaterError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (caught: unknown) => caught,
  );
  assert.ok(BreakwaterError.isInstance(error), `not a BreakwaterError: ${String(error)}`);
  return error;
}

describe('OpenAIProvider against an upstream on port 0', () => {
  let upstream: OpenAIUpstream;
  let provider: OpenAIProvider;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    provider = new OpenAIProvider({
      name: 'compatible',
      baseUrl: upstream.url,
      apiKey,
      headers: { 'x-tenant-secret': 'header-secret-value-99' },
      connections: 2,
      streamIdleTimeoutMs: idleMs,
      profile: vendorProfiles.generic!,
    });
  });
  after(async () => {
    await provider.close();
    await upstream.close();
  });

  it('passes on what the upstream said without its key, header secrets, private URLs or its own address (regression: upstream error text reached callers unredacted)', async () => {
    const host = new URL(upstream.url).host;
    const echoed = `The model gpt-x does not exist. Key ${apiKey} (header header-secret-value-99) checked at http://auth.corp:9000/v1/verify by ${host}, replica 10.0.4.17.`;
    const leaks = [apiKey, 'header-secret-value-99', 'auth.corp', host, '10.0.4.17'];
    const errors: BreakwaterError[] = [];
    for (const status of [400, 404, 500, 503]) {
      upstream.script = (_request, response) => sendJson(response, status, { error: { message: echoed, type: 'invalid_request_error' } });
      errors.push(await failure(provider.chat(ask, call)));
      errors.push(await failure(provider.embed({ model: 'e', input: 'x' }, call)));
    }
    upstream.script = (_request, response) => sendJson(response, 400, echoed.repeat(20) as unknown as object);
    errors.push(await failure(provider.chat(ask, call)));
    upstream.script = (_request, response) => sendSse(response, [chunk('Hi'), { error: { message: echoed } }], false);
    errors.push(
      await failure(
        (async () => {
          for await (const _chunk of await provider.chatStream(ask, call)) void _chunk;
        })(),
      ),
    );
    for (const error of errors) {
      assert.match(error.message, /The model gpt-x does not exist/);
      for (const leak of leaks) assert.ok(!error.message.includes(leak), `${leak} leaked: ${error.message}`);
      assert.ok(!JSON.stringify(error.toEnvelope()).includes(apiKey));
    }
  });

  it('cuts a stream that falls silent after its first chunk with GATEWAY_UPSTREAM_TIMEOUT and closes the upstream connection', { timeout: 10_000 }, async () => {
    let closed: Promise<unknown> | undefined;
    upstream.script = (_request, response) => {
      sendSse(response, [chunk('thinking ')], false);
      closed = once(response, 'close');
      return true;
    };
    const received: ChatCompletionChunk[] = [];
    const started = performance.now();
    const error = await failure(
      (async () => {
        for await (const each of await provider.chatStream(ask, call)) received.push(each);
      })(),
    );
    const waited = performance.now() - started;
    assert.equal(error.code, 'GATEWAY_UPSTREAM_TIMEOUT');
    assert.equal(error.status, 504);
    assert.equal(received[0]?.choices[0]?.delta.content, 'thinking ');
    assert.ok(waited >= idleMs && waited < idleMs + 2_000, `failed after ${Math.round(waited)} ms`);
    await closed; // resolves only once Breakwater closed the upstream connection
  });

  it('lets a stream that pauses shorter than the idle timeout between chunks finish', async () => {
    upstream.script = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of ['a', 'b', 'c']) {
        response.write(`data: ${JSON.stringify(chunk(piece))}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, idleMs / 3));
      }
      response.end(`data: ${JSON.stringify({ ...chunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      return true;
    };
    let text = '';
    for await (const each of await provider.chatStream(ask, call)) text += each.choices[0]?.delta.content ?? '';
    assert.equal(text, 'abc');
  });

  it('does not count the time a slow consumer takes between chunks', async () => {
    upstream.script = undefined;
    let text = '';
    for await (const each of await provider.chatStream({ ...ask, messages: [{ role: 'user', content: 'one two three' }] }, call)) {
      text += each.choices[0]?.delta.content ?? '';
      await new Promise((resolve) => setTimeout(resolve, idleMs + 100));
    }
    assert.equal(text, 'echo: one two three');
  });
});
