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
    const tools: ChatRequest['tools'] = [
      { type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } } },
    ];
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
    // Too long to remember (8 K) but within what is counted exactly per call (16 K).
    const long = chat('policy '.repeat(2_000), 'hi');
    assert.equal(counter.countChat(long), expected(long));
    assert.equal(counter.countChat(long), expected(long));
  });
});

describe('TokenCounter on pathological text', () => {
  const megabyte = 1 << 20;
  const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const randomOf = (alphabet: readonly string[], length: number) => {
    let text = '';
    while (text.length < length) text += alphabet[Math.floor(Math.random() * alphabet.length)];
    return text.slice(0, length);
  };
  const ideographs = Array.from({ length: 3000 }, (_, index) => String.fromCodePoint(0x4e00 + index));
  const emoji = Array.from({ length: 1500 }, (_, index) => String.fromCodePoint(0x1f300 + index));
  const base64 = (length: number) =>
    Buffer.from(Array.from({ length }, () => Math.floor(Math.random() * 256)))
      .toString('base64')
      .slice(0, length);
  /** Shapes whose pre-tokenizer pieces are as long as the text: byte-pair merging them whole is quadratic. */
  const shapes: Record<string, (length: number) => string> = {
    'one letter': (length) => fill('a', length),
    spaces: (length) => fill(' ', length),
    newlines: (length) => fill('\n', length),
    digits: (length) => fill('7', length),
    'two-letter pattern': (length) => fill('ab', length),
    'three-letter pattern': (length) => fill('abc', length),
    punctuation: (length) => fill('!', length),
    'combining marks': (length) => fill('a\u0301\u0301\u0301', length),
    'one emoji': (length) => fill('😀', length),
    'family emoji (ZWJ)': (length) => fill('👩‍👩‍👧', length),
    'random ideographs': (length) => randomOf(ideographs, length),
    'random emoji': (length) => randomOf(emoji, length),
    base64,
    prose: (length) => fill('The quick brown fox jumps over the lazy dog near 42 Elm Street, then naps. ', length),
  };

  for (const [name, make] of Object.entries(shapes)) {
    it(`counts 1 MB of ${name} within a second, not below the true count`, () => {
      const counter = new TokenCounter();
      counter.count('warm up');
      const text = make(megabyte);
      const started = performance.now();
      const counted = counter.count(text);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1_000, `${elapsed.toFixed(0)} ms`);
      // The truth, from the library on 4 K of the same shape (exact whole 1 MB would take minutes), scaled.
      const sample = make(4096);
      const truth = (countTokens(sample) / sample.length) * text.length;
      assert.ok(counted >= truth * 0.95, `${counted} counted, about ${Math.round(truth)} true`);
      assert.ok(counted <= truth * 2.5, `${counted} counted, about ${Math.round(truth)} true`);
    });
  }

  // Regression: a sample's place was drawn inside the text being read, so with texts shorter than
  // a sampling stretch most samples were skipped, none at all in about one call of four, and the
  // count fell to the floor: 0.46 of the truth, an under-reserved budget (seen twice in CI).
  it('estimates many long messages at or above their true count every time', () => {
    const counter = new TokenCounter();
    const request: ChatRequest = { model: 'm', messages: Array.from({ length: 400 }, () => ({ role: 'user' as const, content: base64(10_000) })) };
    const truth = 3 + 400 * (3 + countTokens(base64(10_000)));
    for (let call = 0; call < 20; call++) {
      const counted = counter.countChat(request);
      assert.ok(counted >= truth * 0.95, `call ${call}: ${counted} counted, about ${truth} true`);
    }
  });

  it('spreads one budget over a request of many long messages', () => {
    const counter = new TokenCounter();
    counter.count('warm up');
    const request: ChatRequest = { model: 'm', messages: Array.from({ length: 400 }, () => ({ role: 'user' as const, content: base64(10_000) })) };
    const started = performance.now();
    const counted = counter.countChat(request);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1_000, `${elapsed.toFixed(0)} ms`);
    const truth = 3 + 400 * (3 + countTokens(base64(10_000)));
    assert.ok(counted >= truth * 0.95 && counted <= truth * 1.2, `${counted} counted, about ${truth} true`);
  });

  it('counts special-token text in a message as text instead of throwing', () => {
    const counter = new TokenCounter();
    assert.equal(counter.count('end here <|endoftext|> and go on'), countTokens('end here <|endoftext|> and go on', { disallowedSpecial: new Set() }));
  });

  it('counts text with a few long runs among words a token or two high per run, never low', () => {
    const counter = new TokenCounter();
    const text = `A separator line\n${'='.repeat(100)}\nthen more words and a long ${'x'.repeat(70)} token.`;
    const counted = counter.count(text);
    const truth = countTokens(text);
    assert.ok(counted >= truth && counted <= truth + 4, `${counted} counted, ${truth} true`);
  });
});
