import type { Provider } from '../../src/core/ports/provider.js';
import type { Price } from '../../src/core/pricing/pricing.js';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import type { AliasRoute } from '../../src/core/routing/alias-route.js';
import { CircuitBreaker } from '../../src/core/routing/circuit-breaker.js';
import type { ChatCompletion, ChatRequest } from '../../src/wire/chat.js';
import type { Label } from './dataset/index.js';

/** Completion tokens by label: a short answer for an easy request, a worked one for a hard request; capped by max_tokens. */
export const completionTokens: Readonly<Record<Label, number>> = { easy: 150, hard: 600 };

export const tierPrices = {
  small: { model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
  large: { model: 'gpt-4o', price: { input: 2.5, output: 10 } },
} as const satisfies Record<string, { model: string; price: Price }>;

/**
 * An in-process provider answering at once with realistic usage: prompt tokens as the
 * tokenizer counts them (≈ the gateway's estimate), completion tokens by the request's label.
 */
export class PricedMockProvider implements Provider {
  readonly name = 'bench-mock';
  readonly capabilities = { chat: true, streaming: false, embeddings: false, tools: true, jsonSchema: true };
  private readonly tokens = new TokenCounter();

  constructor(private readonly labels: WeakMap<ChatRequest, Label>) {}

  async chat(request: ChatRequest, options: { model: string }): Promise<ChatCompletion> {
    const prompt = this.tokens.countChat(request);
    // Never more than the request's own cap, as a real model stops there (finish_reason length).
    const cap = request.max_completion_tokens ?? request.max_tokens ?? Infinity;
    const completion = Math.min(completionTokens[this.labels.get(request) ?? 'easy'], cap);
    return {
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 0,
      model: options.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
  }

  chatStream(): never {
    throw new Error('the routing bench does not stream');
  }

  embed(): never {
    throw new Error('the routing bench does not embed');
  }
}

/** Aliases `small`, `large` and `auto` (which starts on the large route until the router picks). */
export function benchRoutes(provider: Provider): Map<string, AliasRoute> {
  const route = (alias: string, tier: keyof typeof tierPrices): AliasRoute => {
    const { model, price } = tierPrices[tier];
    const deployment = {
      id: `bench/${model}`,
      provider,
      model,
      weight: 1,
      timeoutMs: 60_000,
      retries: 0,
      price,
      breaker: new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1000 }),
    };
    return { alias, strategy: 'fallback', deployments: [deployment], maxPrice: price };
  };
  return new Map([
    ['small', route('small', 'small')],
    ['large', route('large', 'large')],
    ['auto', route('auto', 'large')],
  ]);
}
