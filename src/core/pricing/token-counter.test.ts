import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatRequest } from '../../wire/chat.js';
import { TokenCounter } from './token-counter.js';

const chat = (system: string, user: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ],
  ...extra,
});

/** OpenAI's accounting, straight from the tokenizer: 3 to prime the reply, 3 per message. */
const expected = (request: ChatRequest) =>
  3 +
  request.messages.reduce((sum, message) => sum + 3 + countTokens(typeof message.content === 'string' ? message.content : ''), 0) +
  (request.tools ? countTokens(JSON.stringify(request.tools)) : 0);

describe('TokenCounter', () => {
  it('counts a chat the same on every call, whether its system prompt and tools were seen before or not', () => {
    const counter = new TokenCounter();
    const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }];
    const first = chat('You are the support assistant of Nordhaven Outdoor. Be brief.', 'Where is order 5521?', { tools });
    const again = chat('You are the support assistant of Nordhaven Outdoor. Be brief.', 'Can I return boots after 40 days?', { tools });
    assert.equal(counter.countChat(first), expected(first));
    assert.equal(counter.countChat(again), expected(again));
    assert.equal(counter.countChat(first), expected(first));
  });

  it('stays exact past its bound of remembered texts and for texts too long to remember', () => {
    const counter = new TokenCounter();
    for (let index = 0; index < 600; index++) {
      const request = chat(`System prompt number ${index}: answer in ${index % 7} words.`, 'hi');
      assert.equal(counter.countChat(request), expected(request));
    }
    const long = chat('policy '.repeat(12_000), 'hi');
    assert.equal(counter.countChat(long), expected(long));
    assert.equal(counter.countChat(long), expected(long));
  });
});
