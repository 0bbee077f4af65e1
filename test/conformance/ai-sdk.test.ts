import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, embed, embedMany, generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { OpenAIUpstream, sendJson, type RecordedRequest } from '../support/openai-upstream.js';
import { base, rejection, streamToolCalls, textCompletion, toolCallCompletion } from '../support/scripted-answers.js';
import { startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

/**
 * Conformance: the Vercel AI SDK (ai v6 + @ai-sdk/openai-compatible v2) against a running
 * Breakwater over real HTTP, as an application using `createOpenAICompatible` would.
 */

type Message = { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string };

function lastMessage(request: RecordedRequest): Message {
  return (request.body.messages as Message[]).at(-1)!;
}

const weather = tool({ description: 'Current weather in a city', inputSchema: z.object({ city: z.string() }) });

describe('the AI SDK (ai v6, @ai-sdk/openai-compatible v2) against a running Breakwater over an OpenAI-compatible upstream', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let url: string;
  let key: string;
  let breakwater: ReturnType<typeof createOpenAICompatible>;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    key = await test.key();
    breakwater = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: key, includeUsage: true, headers: { 'cache-control': 'no-store' } });
  });
  beforeEach(() => {
    upstream.script = undefined;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  describe('text', () => {
    it('generateText returns the text, finish reason, usage and the gateway response headers', async () => {
      const result = await generateText({ model: breakwater('gpt-test'), prompt: 'hello from the ai sdk', maxRetries: 0 });
      assert.equal(result.text, 'echo: hello from the ai sdk');
      assert.equal(result.finishReason, 'stop');
      assert.equal(result.usage.inputTokens, 11);
      assert.equal(result.usage.outputTokens, 7);
      assert.equal(result.usage.totalTokens, 18);
      assert.equal(result.response.modelId, 'gpt-4o-mini');
      assert.equal(result.response.headers?.['x-breakwater-deployment'], 'upstream/gpt-4o-mini');
      assert.equal(result.response.headers?.['x-breakwater-cache'], 'bypass');
      assert.ok(result.response.headers?.['x-request-id']);
      const sent = upstream.chatRequests().at(-1)!;
      assert.equal(sent.body.model, 'gpt-4o-mini');
      assert.deepEqual(sent.body.messages, [{ role: 'user', content: 'hello from the ai sdk' }]);
    });

    it('generateText passes system prompt and call settings through', async () => {
      await generateText({
        model: breakwater('gpt-test'),
        system: 'be brief',
        prompt: 'settings',
        temperature: 0.3,
        topP: 0.9,
        maxOutputTokens: 42,
        seed: 7,
        stopSequences: ['END'],
        maxRetries: 0,
      });
      const sent = upstream.chatRequests().at(-1)!.body;
      assert.deepEqual(sent.messages, [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'settings' },
      ]);
      assert.equal(sent.temperature, 0.3);
      assert.equal(sent.top_p, 0.9);
      assert.equal(sent.max_tokens, 42);
      assert.equal(sent.seed, 7);
      assert.deepEqual(sent.stop, ['END']);
    });

    it('streamText streams text whose parts concatenate to the answer, with usage', async () => {
      const result = streamText({ model: breakwater('gpt-test'), prompt: 'stream me a few words', maxRetries: 0 });
      const parts: string[] = [];
      for await (const part of result.textStream) parts.push(part);
      assert.ok(parts.length > 1, `expected several text parts, got ${parts.length}`);
      assert.equal(parts.join(''), 'echo: stream me a few words');
      assert.equal(await result.text, 'echo: stream me a few words');
      assert.equal(await result.finishReason, 'stop');
      const total = await result.usage;
      assert.equal(total.inputTokens, 11);
      assert.equal(total.outputTokens, 7);
      assert.equal(total.totalTokens, 18);
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.stream, true);
      assert.equal((await result.response).headers?.['x-breakwater-deployment'], 'upstream/gpt-4o-mini');
    });

    it('streamText without includeUsage still gets the full text (no usage chunk is sent)', async () => {
      const plain = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: key, headers: { 'cache-control': 'no-store' } });
      const result = streamText({ model: plain('gpt-test'), prompt: 'stream without usage', maxRetries: 0 });
      let text = '';
      for await (const part of result.textStream) text += part;
      assert.equal(text, 'echo: stream without usage');
      assert.equal((await result.usage).inputTokens, undefined);
    });
  });

  describe('tools', () => {
    it('generateText with a zod tool sends its JSON schema upstream and surfaces the returned tool call', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }]));
        return true;
      };
      const result = await generateText({ model: breakwater('gpt-test'), prompt: 'weather in Oslo?', tools: { weather }, maxRetries: 0 });
      const sent = upstream.chatRequests().at(-1)!.body;
      const tools = sent.tools as Array<{
        type: string;
        function: { name: string; description: string; parameters: { type: string; properties: Record<string, { type: string }>; required: string[] } };
      }>;
      assert.equal(tools.length, 1);
      assert.equal(tools[0]!.type, 'function');
      assert.equal(tools[0]!.function.name, 'weather');
      assert.equal(tools[0]!.function.description, 'Current weather in a city');
      assert.equal(tools[0]!.function.parameters.type, 'object');
      assert.deepEqual(tools[0]!.function.parameters.properties.city, { type: 'string' });
      assert.deepEqual(tools[0]!.function.parameters.required, ['city']);
      assert.equal(result.finishReason, 'tool-calls');
      assert.equal(result.toolCalls.length, 1);
      const call = result.toolCalls[0]!;
      assert.equal(call.toolCallId, 'call_1');
      assert.equal(call.toolName, 'weather');
      assert.deepEqual(call.input, { city: 'Oslo' });
    });

    it('runs a multi-step tool loop: the tool result goes back upstream and the final text comes back', async () => {
      upstream.script = (request, response) => {
        const last = lastMessage(request);
        if (last.role === 'tool') sendJson(response, 200, textCompletion(request, `The tool said: ${String(last.content)}`));
        else sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_7', name: 'weather', arguments: '{"city":"Oslo"}' }]));
        return true;
      };
      const before = upstream.chatRequests().length;
      const executed: unknown[] = [];
      const result = await generateText({
        model: breakwater('gpt-test'),
        prompt: 'weather in Oslo, then summarise',
        tools: {
          weather: tool({
            description: 'Current weather in a city',
            inputSchema: z.object({ city: z.string() }),
            execute: async (input) => {
              executed.push(input);
              return 'sunny, 3C';
            },
          }),
        },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.deepEqual(executed, [{ city: 'Oslo' }]);
      assert.equal(result.steps.length, 2);
      assert.equal(result.text, 'The tool said: sunny, 3C');
      assert.equal(upstream.chatRequests().length, before + 2);
      const messages = upstream.chatRequests().at(-1)!.body.messages as Message[];
      const assistant = messages.find((message) => message.role === 'assistant')!;
      assert.deepEqual(assistant.tool_calls, [{ id: 'call_7', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }]);
      const toolMessage = messages.at(-1)!;
      assert.equal(toolMessage.role, 'tool');
      assert.equal(toolMessage.tool_call_id, 'call_7');
      assert.equal(toolMessage.content, 'sunny, 3C');
      assert.equal(result.totalUsage.inputTokens, 22);
    });

    it('streamText assembles streamed tool-call deltas into complete tool calls', async () => {
      upstream.script = (request, response) => {
        streamToolCalls(request, response);
        return true;
      };
      const result = streamText({ model: breakwater('gpt-test'), prompt: 'weather in Oslo and Bergen?', tools: { weather }, maxRetries: 0 });
      const streamedCalls: Array<{ toolName: string; input: unknown }> = [];
      for await (const part of result.fullStream) {
        if (part.type === 'error') assert.fail(`stream error: ${String(part.error)}`);
        if (part.type === 'tool-call') streamedCalls.push({ toolName: part.toolName, input: part.input });
      }
      assert.deepEqual(streamedCalls, [
        { toolName: 'weather', input: { city: 'Oslo' } },
        { toolName: 'weather', input: { city: 'Bergen' } },
      ]);
      const calls = await result.toolCalls;
      assert.deepEqual(
        calls.map((call) => [call.toolCallId, call.input]),
        [
          ['call_oslo', { city: 'Oslo' }],
          ['call_bergen', { city: 'Bergen' }],
        ],
      );
      assert.equal(await result.finishReason, 'tool-calls');
      assert.equal((await result.usage).totalTokens, 18);
    });

    it('a forced toolChoice reaches the upstream as tool_choice', async () => {
      upstream.script = (request, response) => {
        sendJson(response, 200, toolCallCompletion(request, [{ id: 'call_f', name: 'weather', arguments: '{"city":"Oslo"}' }]));
        return true;
      };
      await generateText({ model: breakwater('gpt-test'), prompt: 'forced', tools: { weather }, toolChoice: { type: 'tool', toolName: 'weather' }, maxRetries: 0 });
      assert.deepEqual(upstream.chatRequests().at(-1)!.body.tool_choice, { type: 'function', function: { name: 'weather' } });
    });
  });

  describe('structured output', () => {
    it('Output.object sends a json_schema response_format (structured outputs) and parses the answer', async () => {
      const structured = createOpenAICompatible({
        name: 'breakwater',
        baseURL: `${url}/v1`,
        apiKey: key,
        supportsStructuredOutputs: true,
        headers: { 'cache-control': 'no-store' },
      });
      upstream.script = (request, response) => {
        sendJson(response, 200, textCompletion(request, '{"name":"Ada","age":36}'));
        return true;
      };
      const result = await generateText({
        model: structured('gpt-test'),
        prompt: 'who?',
        output: Output.object({ schema: z.object({ name: z.string(), age: z.number() }) }),
        maxRetries: 0,
      });
      assert.deepEqual(result.output, { name: 'Ada', age: 36 });
      const format = upstream.chatRequests().at(-1)!.body.response_format as {
        type: string;
        json_schema: { name: string; strict: boolean; schema: { properties: Record<string, unknown> } };
      };
      assert.equal(format.type, 'json_schema');
      assert.equal(format.json_schema.strict, true);
      assert.deepEqual(Object.keys(format.json_schema.schema.properties).sort(), ['age', 'name']);
    });
  });

  describe('embeddings', () => {
    it('embed returns the vector the upstream produced and its token usage', async () => {
      const result = await embed({ model: breakwater.embeddingModel('embed-test'), value: 'alpha', maxRetries: 0 });
      assert.deepEqual(result.embedding, [0.25, 0.5, -0.5]);
      assert.equal(result.usage.tokens, 3);
      const sent = upstream.requests.at(-1)!;
      assert.ok(sent.path.endsWith('/embeddings'));
      assert.equal(sent.body.model, 'text-embedding-3-small');
      assert.deepEqual(sent.body.input, ['alpha']);
    });

    it('embedMany returns one vector per value, in order, from one upstream call', async () => {
      const before = upstream.requests.length;
      const result = await embedMany({ model: breakwater.embeddingModel('embed-test'), values: ['a', 'b', 'c'], maxRetries: 0 });
      assert.deepEqual(result.embeddings, [
        [0.25, 0.5, -0.5],
        [1.25, 0.5, -0.5],
        [2.25, 0.5, -0.5],
      ]);
      assert.deepEqual(result.values, ['a', 'b', 'c']);
      assert.equal(result.usage.tokens, 9);
      assert.equal(upstream.requests.length, before + 1);
    });

    it('the deprecated textEmbeddingModel alias works too', async () => {
      const result = await embed({ model: breakwater.textEmbeddingModel('embed-test'), value: 'legacy', maxRetries: 0 });
      assert.deepEqual(result.embedding, [0.25, 0.5, -0.5]);
    });
  });

  describe('errors surface as APICallError', () => {
    it('a bad key is an APICallError with statusCode 401 and the Breakwater message', async () => {
      const bad = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: 'bw_not-a-real-key' });
      const error = await rejection(generateText({ model: bad('gpt-test'), prompt: 'x', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 401);
      assert.equal(error.isRetryable, false);
      assert.match(error.message, /API key is not valid/);
      assert.equal((error.data as { error: { code: string } }).error.code, 'INVALID_API_KEY');
      assert.ok(error.responseHeaders?.['x-request-id']);
      const embedError = await rejection(embed({ model: bad.embeddingModel('embed-test'), value: 'x', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(embedError));
      assert.equal(embedError.statusCode, 401);
    });

    it('no key at all is an APICallError 401 with MISSING_API_KEY', async () => {
      const anonymous = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1` });
      const error = await rejection(generateText({ model: anonymous('gpt-test'), prompt: 'x', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 401);
      assert.equal((error.data as { error: { code: string } }).error.code, 'MISSING_API_KEY');
    });

    it('an unknown model is an APICallError with statusCode 404, for generateText and streamText', async () => {
      const error = await rejection(generateText({ model: breakwater('gpt-nope'), prompt: 'x', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 404);
      assert.equal((error.data as { error: { code: string; param: string } }).error.code, 'MODEL_NOT_FOUND');
      assert.equal((error.data as { error: { code: string; param: string } }).error.param, 'model');
      const errors: unknown[] = [];
      const result = streamText({ model: breakwater('gpt-nope'), prompt: 'x', maxRetries: 0, onError: ({ error: streamError }) => void errors.push(streamError) });
      for await (const part of result.fullStream) if (part.type === 'error') errors.push(part.error);
      assert.ok(errors.length >= 1);
      assert.ok(APICallError.isInstance(errors[0]), String(errors[0]));
      assert.equal((errors[0] as APICallError).statusCode, 404);
    });

    it('a model the key may not use is an APICallError with statusCode 403', async () => {
      const limited = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: await test.key({ allowedModels: ['embed-test'] }) });
      const error = await rejection(generateText({ model: limited('gpt-test'), prompt: 'x', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 403);
      assert.equal((error.data as { error: { code: string } }).error.code, 'MODEL_NOT_ALLOWED');
    });

    it('rate limiting is a retryable APICallError 429 with a retry-after header', async () => {
      const limited = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: await test.key({ rpm: 1 }), headers: { 'cache-control': 'no-store' } });
      await generateText({ model: limited('gpt-test'), prompt: 'first', maxRetries: 0 });
      const error = await rejection(generateText({ model: limited('gpt-test'), prompt: 'second', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 429);
      assert.equal(error.isRetryable, true);
      assert.match(error.responseHeaders?.['retry-after'] ?? '', /^\d+$/);
    });

    it('an invalid setting is an APICallError 400 naming the param', async () => {
      const error = await rejection(generateText({ model: breakwater('gpt-test'), prompt: 'x', temperature: 9, maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 400);
      assert.equal((error.data as { error: { param: string } }).error.param, 'temperature');
    });

    it('a stream that breaks after its first chunk ends streamText with an error part after the partial text', async () => {
      upstream.script = (request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const first = { ...base(request), object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'partial ' }, finish_reason: null }] };
        // Cut the connection once the first chunk is on the wire.
        response.write(`data: ${JSON.stringify(first)}\n\n`, () => response.destroy());
        return true;
      };
      const result = streamText({ model: breakwater('gpt-test'), prompt: 'break mid-stream', maxRetries: 0, onError: () => {} });
      let text = '';
      const errors: unknown[] = [];
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') text += part.text;
        if (part.type === 'error') errors.push(part.error);
      }
      assert.equal(text, 'partial ');
      assert.equal(errors.length, 1);
      assert.match(String((errors[0] as { message?: string }).message ?? errors[0]), /stream from provider upstream broke off/);
      assert.equal(await result.finishReason, 'error');
    });

    it('an upstream 500 is a retryable APICallError with statusCode 502', async () => {
      upstream.script = (_request, response) => {
        sendJson(response, 500, { error: { message: 'upstream exploded', type: 'server_error' } });
        return true;
      };
      const error = await rejection(generateText({ model: breakwater('gpt-test'), prompt: 'fail please', maxRetries: 0 }));
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 502);
      assert.equal(error.isRetryable, true);
      assert.match(error.message, /upstream exploded/);
      assert.ok(!String(error.responseBody).includes(upstreamSecret));
    });
  });
});

describe('the AI SDK against a running Breakwater over the mock provider', () => {
  let test: TestApp;
  let mock: ReturnType<typeof createOpenAICompatible>;

  before(async () => {
    test = await startTestApp({
      providers: { mock: { type: 'mock', embeddingDimensions: 8 } },
      models: {
        'mock-chat': { deployments: [{ provider: 'mock', model: 'mock-chat' }] },
        'mock-embed': { deployments: [{ provider: 'mock', model: 'mock-embed' }] },
      },
    });
    const url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    mock = createOpenAICompatible({ name: 'breakwater', baseURL: `${url}/v1`, apiKey: await test.key(), includeUsage: true, headers: { 'cache-control': 'no-store' } });
  });
  after(async () => {
    await test.close();
  });

  it('generateText gets the mock reply and usage', async () => {
    const result = await generateText({ model: mock('mock-chat'), prompt: 'ping the mock', maxRetries: 0 });
    assert.equal(result.text, 'Mock reply to: ping the mock');
    assert.ok((result.usage.inputTokens ?? 0) > 0);
    assert.equal(result.usage.outputTokens, 6, 'one token per word of "Mock reply to: ping the mock"');
  });

  it('the mock calls an offered zod tool with arguments of its schema, and the loop finishes with text', async () => {
    const executed: unknown[] = [];
    const result = await generateText({
      model: mock('mock-chat'),
      prompt: 'use the tool',
      tools: {
        lookup: tool({
          description: 'Look something up',
          inputSchema: z.object({ city: z.string(), days: z.number().int().min(2) }),
          execute: async (input) => {
            executed.push(input);
            return 'found it';
          },
        }),
      },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    assert.deepEqual(executed, [{ city: 'mock', days: 2 }]);
    assert.equal(result.steps[0]!.toolCalls[0]!.toolName, 'lookup');
    assert.deepEqual(result.steps[0]!.toolCalls[0]!.input, { city: 'mock', days: 2 });
    assert.equal(result.text, 'Mock reply to: found it');
  });

  it('streamText surfaces the mock tool call from the stream', async () => {
    const result = streamText({ model: mock('mock-chat'), prompt: 'stream a tool call', tools: { weather }, maxRetries: 0 });
    const calls = await result.toolCalls;
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.toolName, 'weather');
    assert.deepEqual(calls[0]!.input, { city: 'mock' });
    assert.equal(await result.finishReason, 'tool-calls');
    assert.ok(((await result.usage).totalTokens ?? 0) > 0);
  });

  it('embedMany gets normalised vectors of the configured dimension, equal for equal inputs', async () => {
    const result = await embedMany({ model: mock.embeddingModel('mock-embed'), values: ['harbour', 'lighthouse', 'harbour'], maxRetries: 0 });
    assert.equal(result.embeddings.length, 3);
    for (const vector of result.embeddings) {
      assert.equal(vector.length, 8);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9);
    }
    assert.deepEqual(result.embeddings[0], result.embeddings[2]);
    assert.notDeepEqual(result.embeddings[0], result.embeddings[1]);
  });
});
