import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, CallOutcome } from '../../gateway/call-context.js';
import { chatRequestSchema, type ChatCompletion, type ChatCompletionChunk, type ChatRequest } from '../../../wire/chat.js';
import type { PiiPolicy } from '../../pii/scrubber.js';
import { pii } from './index.js';

const email = 'jane@example.com';

function contextFor(request: ChatRequest): CallContext {
  // Only the fields the PII middleware reads or writes; the rest is never touched.
  return { input: { operation: 'chat', request }, pii: {}, stream: false } as unknown as CallContext;
}

const chat = () => chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: `My email is ${email}, write me a greeting.` }] });

const completion = (content: string, toolArguments?: string): ChatCompletion => ({
  id: 'c',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content,
        ...(toolArguments ? { tool_calls: [{ id: 't', type: 'function' as const, function: { name: 'send', arguments: toolArguments } }] } : {}),
      },
      finish_reason: 'stop',
    },
  ],
});

const chunk = (content: string | undefined, finish: 'stop' | null = null, toolArguments?: string): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [
    {
      index: 0,
      delta: { ...(content === undefined ? {} : { content }), ...(toolArguments ? { tool_calls: [{ index: 0, function: { arguments: toolArguments } }] } : {}) },
      finish_reason: finish,
    },
  ],
});

async function* streamOf(chunks: ChatCompletionChunk[]): AsyncGenerator<ChatCompletionChunk> {
  yield* chunks;
}

function run(policy: PiiPolicy | undefined, answer: (sent: ChatRequest) => CallOutcome, audit: unknown[] = []) {
  const context = contextFor(chat());
  const sent: string[] = [];
  const middleware = pii({ policyFor: () => policy, onDetections: (counts) => audit.push(counts) });
  const outcome = middleware(context, async () => {
    const request = (context.input as { request: ChatRequest }).request;
    sent.push(JSON.stringify(request.messages));
    return answer(request);
  });
  return { context, sent, outcome };
}

describe('pii middleware', () => {
  it('sends placeholders upstream and restores them in the completion and tool-call arguments', async () => {
    const audit: unknown[] = [];
    const { context, sent, outcome } = run({ mode: 'redact', nlp: false }, () => ({ kind: 'completion', completion: completion('Hello <EMAIL_1>!', '{"to":"<EMAIL_1>"}') }), audit);
    const result = await outcome;
    assert.ok(!sent[0]!.includes(email) && sent[0]!.includes('<EMAIL_1>'));
    assert.equal(result.kind, 'completion');
    if (result.kind !== 'completion') return;
    assert.equal(result.completion.choices[0]!.message.content, `Hello ${email}!`);
    assert.deepEqual(JSON.parse(result.completion.choices[0]!.message.tool_calls![0]!.function.arguments), { to: email });
    assert.deepEqual(context.pii, { EMAIL: 1 });
    assert.deepEqual(audit, [{ EMAIL: 1 }]);
  });

  it('restores a placeholder split across stream chunks, in content and tool-call arguments', async () => {
    const { outcome } = run({ mode: 'redact', nlp: false }, () => ({
      kind: 'stream',
      chunks: streamOf([chunk('Hello <EMA'), chunk('IL'), chunk('_1'), chunk('>, bye <EM', null, '{"to":"<EM'), chunk(undefined, null, 'AIL_1>"}'), chunk(undefined, 'stop')]),
    }));
    const result = await outcome;
    assert.equal(result.kind, 'stream');
    if (result.kind !== 'stream') return;
    let content = '';
    let toolArguments = '';
    for await (const piece of result.chunks) {
      content += piece.choices[0]?.delta.content ?? '';
      toolArguments += piece.choices[0]?.delta.tool_calls?.map((call) => call.function?.arguments ?? '').join('') ?? '';
    }
    assert.equal(content, `Hello ${email}, bye <EM`);
    assert.deepEqual(JSON.parse(toolArguments), { to: email });
  });

  it('blocks with PII_BLOCKED before calling the provider, and still audits counts', async () => {
    const { context, sent, outcome } = run({ mode: 'block', nlp: false }, () => ({ kind: 'completion', completion: completion('never') }));
    await assert.rejects(outcome, (error: unknown) => BreakwaterError.isInstance(error) && error.code === 'PII_BLOCKED');
    assert.equal(sent.length, 0);
    assert.deepEqual(context.pii, { EMAIL: 1 });
  });

  it('masks irreversibly: the answer keeps whatever the model wrote', async () => {
    const { sent, outcome } = run({ mode: 'mask', nlp: false }, () => ({ kind: 'completion', completion: completion('Hello [EMAIL]') }));
    const result = await outcome;
    assert.ok(sent[0]!.includes('My email is [EMAIL]'));
    assert.equal(result.kind === 'completion' && result.completion.choices[0]!.message.content, 'Hello [EMAIL]');
  });

  it('leaves calls without a policy, and log-mode calls, unchanged', async () => {
    for (const policy of [undefined, { mode: 'log', nlp: false } as const]) {
      const { sent, context, outcome } = run(policy, () => ({ kind: 'completion', completion: completion('ok') }));
      await outcome;
      assert.ok(sent[0]!.includes(email));
      assert.deepEqual(context.pii, policy ? { EMAIL: 1 } : {});
    }
  });

  it('masks embeddings inputs, since vectors cannot be restored', async () => {
    const context = { input: { operation: 'embeddings', request: { model: 'e', input: [`about ${email}`, 'plain'] } }, pii: {} } as unknown as CallContext;
    let sentInput: unknown;
    await pii({ policyFor: () => ({ mode: 'redact', nlp: false }) })(context, async () => {
      sentInput = (context.input.request as { input: unknown }).input;
      return { kind: 'embeddings', result: { model: 'e', vectors: [], usage: { prompt_tokens: 0, total_tokens: 0 } } };
    });
    assert.deepEqual(sentInput, ['about [EMAIL]', 'plain']);
  });
});
