import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { base, rejection, streamToolCalls, toolCallCompletion, usage } from '../support/scripted-answers.js';
import { startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

/**
 * Conformance: the official `openai` SDK (v6) against a running Breakwater over real HTTP.
 * Every test is something an application written against api.openai.com relies on when it
 * only swaps the base URL and the key.
 */

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

describe('the openai SDK (v6) against a running Breakwater', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let url: string;
  let key: string;
  /** Bypasses the exact cache, so every call reaches the upstream. */
  let client: OpenAI;
  /** Uses the exact cache like a default client. */
  let cachingClient: OpenAI;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    key = await test.key();
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'cache-control': 'no-store' } });
    cachingClient = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.script = undefined;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  describe('chat completions', () => {
    it('creates a completion with content, finish_reason and usage', async () => {
      const completion = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hello from the sdk' }] });
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.choices[0]!.message.role, 'assistant');
      assert.equal(completion.choices[0]!.message.content, 'echo: hello from the sdk');
      assert.equal(completion.choices[0]!.finish_reason, 'stop');
      assert.deepEqual(completion.usage, usage);
      const sent = upstream.chatRequests().at(-1)!;
      assert.equal(sent.body.model, 'gpt-4o-mini');
      assert.equal(sent.headers.authorization, `Bearer ${upstreamSecret}`);
    });

    it('streams with stream_options.include_usage: the deltas concatenate to the text and the last chunk carries usage', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-test',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream me a few words' }],
      });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.ok(chunks.length > 3, `expected several chunks, got ${chunks.length}`);
      assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'echo: stream me a few words');
      assert.equal(chunks.filter((chunk) => chunk.choices[0]?.finish_reason === 'stop').length, 1);
      const last = chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.deepEqual(last.usage, usage);
      assert.equal(chunks.filter((chunk) => chunk.usage).length, 1);
    });

    it('streams without a usage chunk when include_usage is not asked for', async () => {
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'no usage please' }] });
      for await (const chunk of stream) chunks.push(chunk);
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'echo: no usage please');
      assert.ok(
        chunks.every((chunk) => !chunk.usage && chunk.choices.length === 1),
        'no chunk carries usage and none is choice-less',
      );
    });

    it('breaking out of the SDK stream cancels the upstream request', { timeout: 10_000 }, async () => {
      let upstreamClosed!: () => void;
      const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
      upstream.script = (request, response) => {
        response.on('close', () => upstreamClosed());
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        // One chunk, then the upstream keeps the stream open (a long generation).
        response.write(
          `data: ${JSON.stringify({ ...base(request), object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'long ' }, finish_reason: null }] })}\n\n`,
        );
        return true;
      };
      const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'a very long answer' }] });
      for await (const chunk of stream) {
        assert.equal(chunk.choices[0]?.delta.content, 'long ');
        break;
      }
      assert.ok(stream.controller.signal.aborted, 'the SDK aborted its request');
      await closed;
    });

    it('the chat.completions.stream() helper assembles the final completion', async () => {
      const runner = client.chat.completions.stream({ model: 'gpt-test', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'helper stream' }] });
      let deltas = '';
      runner.on('content.delta', ({ delta }) => {
        deltas += delta;
      });
      const final = await runner.finalChatCompletion();
      assert.equal(deltas, 'echo: helper stream');
      assert.equal(final.choices[0]!.message.content, 'echo: helper stream');
      assert.equal(final.choices[0]!.finish_reason, 'stop');
      assert.deepEqual(final.usage, usage);
    });
  });

  describe('raw responses and headers', () => {
    it('.withResponse() exposes x-request-id (as request_id) and the x-breakwater-* headers', async () => {
      const { data, response, request_id } = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'headers please' }] }).withResponse();
      assert.equal(data.choices[0]!.message.content, 'echo: headers please');
      assert.equal(response.status, 200);
      const requestId = response.headers.get('x-request-id');
      assert.ok(requestId, 'x-request-id is set');
      assert.equal(request_id, requestId);
      const awaited = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'request id on the awaited result' }] });
      assert.match(awaited._request_id ?? '', /^[\w.:-]+$/, 'awaited results carry _request_id from x-request-id');
      assert.notEqual(awaited._request_id, requestId);
      assert.equal(response.headers.get('x-breakwater-deployment'), 'upstream/gpt-4o-mini');
      assert.equal(response.headers.get('x-breakwater-attempts'), '1');
      assert.equal(response.headers.get('x-breakwater-cache'), 'bypass');
      assert.match(response.headers.get('x-breakwater-overhead-ms') ?? '', /^\d+\.\d{3}$/);
    });

    it('echoes a caller-supplied x-request-id, including on streams', async () => {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'traced' }] }, { headers: { 'x-request-id': 'trace-abc-123' } })
        .withResponse();
      assert.equal(response.headers.get('x-request-id'), 'trace-abc-123');
      const streamed = await client.chat.completions
        .create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'traced stream' }] }, { headers: { 'x-request-id': 'trace-stream-456' } })
        .withResponse();
      assert.equal(streamed.response.headers.get('x-request-id'), 'trace-stream-456');
      assert.match(streamed.response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(streamed.response.headers.get('x-breakwater-deployment'), 'upstream/gpt-4o-mini');
      let text = '';
      for await (const chunk of streamed.data) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'echo: traced stream');
    });

    it('.asResponse() gives the raw JSON body in the OpenAI shape', async () => {
      const raw = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'raw body' }] }).asResponse();
      assert.equal(raw.status, 200);
      assert.match(raw.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await raw.json()) as { object: string; choices: Array<{ message: { content: string } }> };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]!.message.content, 'echo: raw body');
    });

    it('a repeated identical request is served from the exact cache (x-breakwater-cache: hit) without reaching the upstream', async () => {
      const params = { model: 'gpt-test', messages: [{ role: 'user' as const, content: `cache me ${Date.now()}` }] };
      const first = await cachingClient.chat.completions.create(params).withResponse();
      assert.equal(first.response.headers.get('x-breakwater-cache'), 'miss');
      const before = upstream.chatRequests().length;
      const second = await cachingClient.chat.completions.create(params).withResponse();
      assert.equal(second.response.headers.get('x-breakwater-cache'), 'hit');
      assert.equal(upstream.chatRequests().length, before);
      assert.equal(second.data.choices[0]!.message.content, first.data.choices[0]!.message.content);
      assert.notEqual(second.request_id, first.request_id);
    });
  });

  describe('tool calls', () => {
    it('sends the tools upstream and parses the tool call the model returns', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }]));
        return true;
      };
      const completion = await client.chat.completions.create({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'weather in Oslo?' }],
        tools: [weatherTool],
        tool_choice: 'auto',
        parallel_tool_calls: false,
      });
      const sent = upstream.chatRequests().at(-1)!.body;
      assert.deepEqual(sent.tools, [weatherTool]);
      assert.equal(sent.tool_choice, 'auto');
      assert.equal(sent.parallel_tool_calls, false);
      const choice = completion.choices[0]!;
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.equal(choice.message.content, null);
      const call = choice.message.tool_calls![0]!;
      assert.equal(call.type, 'function');
      assert.equal(call.id, 'call_1');
      assert.ok(call.type === 'function');
      assert.equal(call.function.name, 'weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });
    });

    it('carries the assistant tool_calls turn and the tool result back upstream on the next request', async () => {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":3}' },
      ];
      upstream.script = (request, response) => {
        sendJson(response, 200, {
          ...base(request),
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'It is 3°C in Oslo.' }, finish_reason: 'stop' }],
          usage,
        });
        return true;
      };
      const completion = await client.chat.completions.create({ model: 'gpt-test', messages, tools: [weatherTool] });
      assert.equal(completion.choices[0]!.message.content, 'It is 3°C in Oslo.');
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.messages, messages);
    });

    it('chat.completions.parse() with zodFunction tools parses the arguments into parsed_arguments', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_z', name: 'lookup', arguments: '{"city":"Tromsø","days":3}' }]));
        return true;
      };
      const completion = await client.chat.completions.parse({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'forecast for Tromsø' }],
        tools: [zodFunction({ name: 'lookup', parameters: z.object({ city: z.string(), days: z.number().int() }) })],
      });
      const sentTool = (
        upstream.chatRequests().at(-1)!.body.tools as Array<{ function: { name: string; strict: boolean; parameters: { properties: Record<string, unknown> } } }>
      )[0]!;
      assert.equal(sentTool.function.name, 'lookup');
      assert.equal(sentTool.function.strict, true);
      assert.deepEqual(Object.keys(sentTool.function.parameters.properties).sort(), ['city', 'days']);
      const call = completion.choices[0]!.message.tool_calls?.[0]!;
      assert.ok(call.type === 'function');
      assert.deepEqual(call.function.parsed_arguments, { city: 'Tromsø', days: 3 });
    });

    it('streams tool-call deltas that the SDK stream helper assembles into complete calls', async () => {
      upstream.script = (request, response) => {
        streamToolCalls(request, response);
        return true;
      };
      const runner = client.chat.completions.stream({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'weather in Oslo and Bergen?' }],
        tools: [weatherTool],
        stream_options: { include_usage: true },
      });
      const doneEvents: Array<{ name: string; arguments: string }> = [];
      runner.on('tool_calls.function.arguments.done', (event) => doneEvents.push({ name: event.name, arguments: event.arguments }));
      const final = await runner.finalChatCompletion();
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.tools, [weatherTool]);
      const calls = final.choices[0]!.message.tool_calls!;
      assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
      assert.deepEqual(
        calls.map((call) => (call.type === 'function' ? { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) } : call)),
        [
          { id: 'call_oslo', name: 'weather', args: { city: 'Oslo' } },
          { id: 'call_bergen', name: 'weather', args: { city: 'Bergen' } },
        ],
      );
      assert.deepEqual(doneEvents, [
        { name: 'weather', arguments: '{"city":"Oslo"}' },
        { name: 'weather', arguments: '{"city":"Bergen"}' },
      ]);
      assert.deepEqual(final.usage, usage);
    });

    it('streams tool-call deltas that a plain stream iteration can assemble by index', async () => {
      upstream.script = (request, response) => {
        streamToolCalls(request, response);
        return true;
      };
      const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'weather x2' }], tools: [weatherTool] });
      const calls: Array<{ id: string; name: string; arguments: string }> = [];
      let finish: string | null = null;
      for await (const chunk of stream) {
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
          if (delta.id) call.id = delta.id;
          call.name += delta.function?.name ?? '';
          call.arguments += delta.function?.arguments ?? '';
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(finish, 'tool_calls');
      assert.deepEqual(calls, [
        { id: 'call_oslo', name: 'weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_bergen', name: 'weather', arguments: '{"city":"Bergen"}' },
      ]);
    });

    it('a cached tool-call answer replays as a stream the SDK helper still assembles', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_cached', name: 'weather', arguments: '{"city":"Bodø"}' }]));
        return true;
      };
      const params = { model: 'gpt-test', messages: [{ role: 'user' as const, content: `cached tool ${Date.now()}` }], tools: [weatherTool] };
      await cachingClient.chat.completions.create(params);
      const before = upstream.chatRequests().length;
      const runner = cachingClient.chat.completions.stream(params);
      const final = await runner.finalChatCompletion();
      assert.equal(upstream.chatRequests().length, before, 'served from the cache');
      const call = final.choices[0]!.message.tool_calls?.[0]!;
      assert.ok(call.type === 'function');
      assert.equal(call.id, 'call_cached');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Bodø' });
      assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
    });
  });

  describe('structured output', () => {
    it('passes response_format json_schema through and parse() with zodResponseFormat yields the parsed object', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, {
          ...base(request),
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: '{"name":"Ada","age":36}' }, finish_reason: 'stop' }],
          usage,
        });
        return true;
      };
      const format = zodResponseFormat(z.object({ name: z.string(), age: z.number() }), 'person');
      const completion = await client.chat.completions.parse({ model: 'gpt-test', messages: [{ role: 'user', content: 'who?' }], response_format: format });
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.response_format, JSON.parse(JSON.stringify(format)));
      assert.equal((upstream.chatRequests().at(-1)!.body.response_format as { type: string }).type, 'json_schema');
      assert.deepEqual(completion.choices[0]!.message.parsed, { name: 'Ada', age: 36 });
    });

    it('passes a hand-written json_schema response_format through unchanged', async () => {
      const response_format = {
        type: 'json_schema' as const,
        json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } },
      };
      await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'json please' }], response_format });
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.response_format, response_format);
    });
  });

  describe('embeddings', () => {
    it('decodes the default base64 encoding to exactly the floats the upstream returned', async () => {
      let clientBody: Record<string, unknown> | undefined;
      const spying = new OpenAI({
        baseURL: `${url}/v1`,
        apiKey: key,
        maxRetries: 0,
        fetch: async (input, init) => {
          clientBody = JSON.parse(String(init?.body));
          return fetch(input, init);
        },
      });
      const vectors = [
        [0.25, -0.5, 1.75, 0],
        [0.1, -3.3, 1e-7, 123.456],
      ];
      upstream.script = (request, response) => {
        sendJson(response, 200, {
          object: 'list',
          model: request.body.model,
          data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
          usage: { prompt_tokens: 4, total_tokens: 4 },
        });
        return true;
      };
      const result = await spying.embeddings.create({ model: 'embed-test', input: ['alpha', 'beta'] });
      assert.equal(clientBody?.encoding_format, 'base64', 'the SDK asks for base64 by default');
      const sent = upstream.requests.at(-1)!;
      assert.ok(sent.path.endsWith('/embeddings'));
      assert.equal(sent.body.model, 'text-embedding-3-small');
      assert.deepEqual(sent.body.input, ['alpha', 'beta']);
      assert.equal(result.object, 'list');
      assert.deepEqual(
        result.data.map((item) => item.index),
        [0, 1],
      );
      // Exactly representable values survive unchanged; others at float32 precision, as from OpenAI.
      assert.deepEqual(result.data[0]!.embedding, vectors[0]);
      assert.deepEqual(result.data[1]!.embedding, vectors[1]!.map(Math.fround));
      assert.deepEqual(result.usage, { prompt_tokens: 4, total_tokens: 4 });
    });

    it('returns plain floats when encoding_format is float', async () => {
      const result = await client.embeddings.create({ model: 'embed-test', input: ['a', 'b', 'c'], encoding_format: 'float' });
      assert.deepEqual(
        result.data.map((item) => item.embedding),
        [
          [0.25, 0.5, -0.5],
          [1.25, 0.5, -0.5],
          [2.25, 0.5, -0.5],
        ],
      );
      assert.equal(result.usage.prompt_tokens, 9);
    });
  });

  describe('models', () => {
    it('models.list() pages through exactly the aliases the key may use', async () => {
      const ids: string[] = [];
      for await (const model of client.models.list()) {
        assert.equal(model.object, 'model');
        assert.equal(typeof model.created, 'number');
        assert.equal(model.owned_by, 'breakwater');
        ids.push(model.id);
      }
      assert.deepEqual(ids.sort(), ['embed-test', 'gpt-test']);
      const limited = new OpenAI({ baseURL: `${url}/v1`, apiKey: await test.key({ allowedModels: ['gpt-test'] }), maxRetries: 0 });
      const page = await limited.models.list();
      assert.deepEqual(
        page.data.map((model) => model.id),
        ['gpt-test'],
      );
    });

    it('models.retrieve() returns one alias and NotFoundError for an unknown one', async () => {
      const model = await client.models.retrieve('gpt-test');
      assert.equal(model.id, 'gpt-test');
      const error = await rejection(client.models.retrieve('no-such-model'));
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'MODEL_NOT_FOUND');
    });
  });

  describe('errors map to the SDK error classes', () => {
    it('a bad key is an AuthenticationError (401, INVALID_API_KEY) that still carries the request id', async () => {
      const bad = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'bw_not-a-real-key', maxRetries: 0 });
      const error = await rejection(bad.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.code, 'INVALID_API_KEY');
      assert.equal(error.type, 'authentication_error');
      assert.ok(error.requestID, 'x-request-id on errors');
      const embedError = await rejection(bad.embeddings.create({ model: 'embed-test', input: 'x' }));
      assert.ok(embedError instanceof OpenAI.AuthenticationError);
      const listError = await rejection(bad.models.list());
      assert.ok(listError instanceof OpenAI.AuthenticationError);
    });

    it('an unknown model is a NotFoundError with param "model"', async () => {
      const error = await rejection(client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(error instanceof OpenAI.NotFoundError, String(error));
      assert.equal(error.status, 404);
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.equal(error.param, 'model');
      const streamError = await rejection(client.chat.completions.create({ model: 'gpt-nope', stream: true, messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(streamError instanceof OpenAI.NotFoundError, 'streams fail before the first byte with the same class');
    });

    it('a model the key may not use is a PermissionDeniedError (403, MODEL_NOT_ALLOWED)', async () => {
      const limited = new OpenAI({ baseURL: `${url}/v1`, apiKey: await test.key({ allowedModels: ['embed-test'] }), maxRetries: 0 });
      const error = await rejection(limited.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(error instanceof OpenAI.PermissionDeniedError, String(error));
      assert.equal(error.status, 403);
      assert.equal(error.code, 'MODEL_NOT_ALLOWED');
      assert.equal(error.type, 'permission_error');
    });

    it('exceeding the key rpm is a RateLimitError with a retry-after header', async () => {
      const limited = new OpenAI({ baseURL: `${url}/v1`, apiKey: await test.key({ rpm: 1 }), maxRetries: 0, defaultHeaders: { 'cache-control': 'no-store' } });
      await limited.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'first' }] });
      const before = upstream.chatRequests().length;
      const error = await rejection(limited.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'second' }] }));
      assert.ok(error instanceof OpenAI.RateLimitError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'RATE_LIMIT_EXCEEDED');
      assert.equal(error.type, 'rate_limit_error');
      const retryAfter = Number(error.headers?.get('retry-after'));
      // A minute window counted in 100 ms buckets, rounded up to whole seconds: at most 61.
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 61, `retry-after ${error.headers?.get('retry-after')}`);
      assert.equal(upstream.chatRequests().length, before, 'the rejected call never reached the upstream');
    });

    it('an invalid field is a BadRequestError naming the param', async () => {
      const error = await rejection(client.chat.completions.create({ model: 'gpt-test', temperature: 7, messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.status, 400);
      assert.equal(error.code, 'INVALID_REQUEST');
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, 'temperature');
      const unknown = await rejection(
        client.chat.completions.create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: 'x' }],
          frobnicate: true,
        } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming),
      );
      assert.ok(unknown instanceof OpenAI.BadRequestError);
      assert.equal(unknown.param, 'frobnicate');
      const embedding = await rejection(client.embeddings.create({ model: 'embed-test', input: [] }));
      assert.ok(embedding instanceof OpenAI.BadRequestError);
      assert.equal(embedding.param, 'input');
    });

    it('an upstream 500 is an InternalServerError with status 502 (GATEWAY_UPSTREAM_ERROR), and the provider key never leaks', async () => {
      upstream.script = (_request, response) => {
        sendJson(response, 500, { error: { message: 'upstream exploded', type: 'server_error' } });
        return true;
      };
      const before = upstream.requests.length;
      const error = await rejection(client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'fail please' }] }));
      assert.ok(error instanceof OpenAI.InternalServerError, String(error));
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 502);
      assert.equal(error.code, 'GATEWAY_UPSTREAM_ERROR');
      assert.equal(error.type, 'api_error');
      assert.match(error.message, /upstream exploded/);
      assert.ok(!JSON.stringify(error.error).includes(upstreamSecret));
      assert.equal(upstream.requests.length, before + 1, 'deployment retries: 0 → one upstream attempt');
      const streamError = await rejection(client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'fail stream' }] }));
      assert.ok(streamError instanceof OpenAI.InternalServerError, 'a stream failing before its first chunk is still an HTTP error');
      assert.equal(streamError.status, 502);
      const embedError = await rejection(client.embeddings.create({ model: 'embed-test', input: 'fail' }));
      assert.ok(embedError instanceof OpenAI.InternalServerError);
      assert.equal(embedError.status, 502);
    });

    it('a stream that breaks after its first chunk surfaces as an APIError while iterating', async () => {
      upstream.script = (request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const first = { ...base(request), object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'partial ' }, finish_reason: null }] };
        // Cut the connection once the first chunk is on the wire.
        response.write(`data: ${JSON.stringify(first)}\n\n`, () => response.destroy());
        return true;
      };
      const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'break mid-stream' }] });
      let text = '';
      const error = await rejection(
        (async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        })(),
      );
      assert.equal(text, 'partial ');
      assert.ok(error instanceof OpenAI.APIError, String(error));
      assert.equal(error.code, 'GATEWAY_UPSTREAM_STREAM_BROKEN');
      assert.equal(error.type, 'api_error');
    });
  });
});

describe('the openai SDK (v6) against a running Breakwater over the mock provider', () => {
  let test: TestApp;
  let client: OpenAI;

  before(async () => {
    test = await startTestApp({ providers: { mock: { type: 'mock' } }, models: { 'mock-chat': { deployments: [{ provider: 'mock', model: 'mock-chat' }] } } });
    const url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: await test.key(), maxRetries: 0, defaultHeaders: { 'cache-control': 'no-store' } });
  });
  after(async () => {
    await test.close();
  });

  it('parse() with zodResponseFormat gets a parsed object of the schema (end to end structured output)', async () => {
    const completion = await client.chat.completions.parse({
      model: 'mock-chat',
      messages: [{ role: 'user', content: 'describe a person' }],
      response_format: zodResponseFormat(z.object({ name: z.string(), age: z.number(), tags: z.array(z.enum(['a', 'b'])) }), 'person'),
    });
    assert.deepEqual(completion.choices[0]!.message.parsed, { name: 'mock', age: 1.5, tags: ['a'] });
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);
  });

  it('the stream() helper with a zodFunction tool yields parsed tool arguments and usage', async () => {
    const runner = client.chat.completions.stream({
      model: 'mock-chat',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'plan a trip' }],
      tools: [zodFunction({ name: 'lookup', parameters: z.object({ city: z.string(), days: z.number().int().min(2).max(14) }) })],
    });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
    const call = final.choices[0]!.message.tool_calls?.[0]!;
    assert.ok(call.type === 'function');
    assert.equal(call.function.name, 'lookup');
    assert.deepEqual(call.function.parsed_arguments, { city: 'mock', days: 2 });
    assert.ok((final.usage?.total_tokens ?? 0) > 0);
  });
});
