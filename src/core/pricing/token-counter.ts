import type { ChatRequest } from '../../wire/chat.js';
import { countExactly, loadTokenizer } from './exact-count.js';
import { estimateTokens } from './token-estimate.js';

/**
 * Counts prompt tokens with OpenAI's o200k tokenizer (gpt-tokenizer: ~5x faster and ~half
 * the memory of js-tiktoken here, 6 µs for a short message). For other vendors' models it is
 * an estimate within a few percent; the ledger is trued-up to the usage the provider
 * reports, so only the pre-call reservation uses this count.
 *
 * It runs on the event loop for every call, so its work is bounded: a call's texts are
 * counted exactly up to `exactBudget` code units in all, and estimated from samples beyond
 * (token-estimate.ts). Unseen random text, the slowest kind, costs 0.5-2.5 µs per code unit,
 * so a 4 MB prompt of any shape costs about what 16 K of it would.
 */
export class TokenCounter {
  /**
   * Counts of the parts an app sends verbatim on every call — system prompts, tool
   * definitions, response schemas — so each is tokenized once, not per request. Bounded, the
   * oldest out first; user turns are not kept (they rarely repeat).
   */
  private readonly repeated = new Map<string, number>();

  /**
   * Loads the tokenizer's rank table now (0.4-1 s of one turn, ~43 MB of RSS), not at the first count:
   * for a node that will count on its first calls (a budget, a token limit, answers without
   * usage). Counting loads it anyway when it is needed.
   */
  warmUp(): void {
    loadTokenizer();
  }

  count(text: string): number {
    return this.countTexts([text], []);
  }

  /** OpenAI's accounting: ~3 tokens of framing per message plus 3 to prime the reply. */
  countChat(request: ChatRequest): number {
    let framing = 3;
    const texts: string[] = [];
    const repeated: string[] = [];
    for (const message of request.messages) {
      framing += 3;
      const content = message.content;
      if (typeof content === 'string') (message.role === 'system' || message.role === 'developer' ? repeated : texts).push(content);
      else if (Array.isArray(content)) {
        for (const part of content) {
          if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
          // Images are billed by tile; 765 tokens is a high-detail 1024x1024 image.
          else if (part.type === 'image_url') framing += 765;
        }
      }
      if ('tool_calls' in message && message.tool_calls) texts.push(JSON.stringify(message.tool_calls));
    }
    if (request.tools) repeated.push(JSON.stringify(request.tools));
    if (request.response_format?.type === 'json_schema') repeated.push(JSON.stringify(request.response_format.json_schema));
    return framing + this.countTexts(texts, repeated);
  }

  countInputs(input: string | string[] | number[] | number[][]): number {
    if (typeof input === 'string') return this.count(input);
    let total = 0;
    const texts: string[] = [];
    for (const item of input) {
      if (typeof item === 'string') texts.push(item);
      else total += typeof item === 'number' ? 1 : item.length;
    }
    return total + this.countTexts(texts, []);
  }

  /**
   * Exact when everything not remembered fits the budget, else one estimate over all of it:
   * a budget per text would let a request of many texts buy unbounded work.
   */
  private countTexts(texts: readonly string[], repeated: readonly string[]): number {
    let total = 0;
    let length = 0;
    const pending: string[] = [];
    const unknown: string[] = [];
    for (const text of repeated) {
      const known = this.repeated.get(text);
      if (known !== undefined) total += known;
      else {
        unknown.push(text);
        length += text.length;
      }
    }
    for (const text of texts) {
      pending.push(text);
      length += text.length;
    }
    if (length > exactBudget) return total + estimateTokens([...unknown, ...pending], exactBudget);
    for (const text of unknown) {
      const counted = countExactly(text);
      if (text.length <= maxRepeatedLength) this.remember(text, counted);
      total += counted;
    }
    for (const text of pending) total += countExactly(text);
    return total;
  }

  private remember(text: string, counted: number): void {
    if (this.repeated.size >= maxRepeated) this.repeated.delete(this.repeated.keys().next().value!);
    this.repeated.set(text, counted);
  }
}

/**
 * Code units counted exactly per call: 16 K of unseen random CJK text, the slowest shape
 * measured, is 20-45 ms; of prose, 1-2 ms. Beyond it the count is estimated (token-estimate.ts).
 */
export const exactBudget = 16_384;

/** Up to 256 repeated texts of up to 8 K code units each: at most 4 MB of strings held. */
const maxRepeated = 256;
const maxRepeatedLength = 8_192;
