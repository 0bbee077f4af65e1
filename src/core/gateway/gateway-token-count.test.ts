import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testKey } from '../../../test/support/call-context.js';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import type { Provider } from '../ports/provider.js';
import { tokenizerLoaded } from '../pricing/exact-count.js';
import { TokenCounter } from '../pricing/token-counter.js';
import type { AliasRoute } from '../routing/alias-route.js';
import { CircuitBreaker } from '../routing/circuit-breaker.js';
import { Router } from '../routing/router.js';
import type { ModelMiddleware } from './call-context.js';
import { Gateway } from './gateway.js';

// node --test runs each file in its own process, so the tokenizer starts unloaded here.

function answer(usage: ChatCompletion['usage'] | undefined): ChatCompletion {
  return {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Four words, no more.' }, finish_reason: 'stop' }],
    ...(usage ? { usage } : {}),
  } as ChatCompletion;
}

function gatewayWith(completion: ChatCompletion, middleware: ModelMiddleware[] = []): Gateway {
  const provider = {
    name: 'inline',
    capabilities: { chat: true, streaming: false, embeddings: false, tools: false, jsonSchema: false },
    chat: async () => completion,
  } as unknown as Provider;
  const route: AliasRoute = {
    alias: 'm',
    strategy: 'fallback',
    maxPrice: { input: 1, output: 2 },
    deployments: [
      {
        id: 'inline/m',
        provider,
        model: 'm',
        weight: 1,
        timeoutMs: 60_000,
        retries: 0,
        price: { input: 1, output: 2 },
        breaker: new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1_000 }),
      },
    ],
  };
  return new Gateway({
    routes: new Map([['m', route]]),
    router: new Router({ backoffBaseMs: 1, backoffMaxMs: 1, maxRetryAfterMs: 0 }),
    tokens: new TokenCounter(),
    middleware,
    onDeferredError: (error) => assert.fail(String(error)),
  });
}

const request = (): ChatRequest => ({
  model: 'm',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say hello in four words.' },
  ],
});

const call = (gateway: Gateway) =>
  gateway.call({
    requestId: 'r',
    key: testKey(),
    input: { operation: 'chat', request: request() },
    stream: false,
    cacheControl: { noStore: false, noCache: false },
    signal: new AbortController().signal,
    startedAt: performance.now(),
  });

describe('Gateway: the prompt is counted only when something reads the count', () => {
  it('leaves the tokenizer unloaded for answers with usage and no reader, then counts exactly when read (budgets, answers without usage)', async () => {
    const { context } = await call(gatewayWith(answer({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 })));
    assert.deepEqual(context.usage, { inputTokens: 11, outputTokens: 4 });
    assert.equal(tokenizerLoaded(), false, 'no middleware read the estimate and the answer had usage');

    // A middleware that reads the estimate before the call (as budgets and token limits do).
    let seen: number | undefined;
    const reader: ModelMiddleware = (context, next) => {
      seen = context.estimatedInputTokens;
      return next();
    };
    await call(gatewayWith(answer({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 }), [reader]));
    const exact = new TokenCounter().countChat(request());
    assert.equal(seen, exact);
    assert.equal(tokenizerLoaded(), true);

    // Without usage the call is billed by its counted prompt and answer.
    const unbilled = await call(gatewayWith(answer(undefined)));
    assert.deepEqual(unbilled.context.usage, { inputTokens: exact, outputTokens: new TokenCounter().count('Four words, no more.') });
  });
});
