import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatRequest } from '../../wire/chat.js';

/**
 * Counts prompt tokens with OpenAI's o200k tokenizer (gpt-tokenizer: ~5x faster and ~half
 * the memory of js-tiktoken here, 6 µs for a short message). For other vendors' models it is
 * an estimate within a few percent; the ledger is trued-up to the usage the provider
 * reports, so only the pre-call reservation uses this count.
 */
export class TokenCounter {
  count(text: string): number {
    if (text.length === 0) return 0;
    return countTokens(text);
  }

  /** OpenAI's accounting: ~3 tokens of framing per message plus 3 to prime the reply. */
  countChat(request: ChatRequest): number {
    let total = 3;
    for (const message of request.messages) {
      total += 3;
      const content = message.content;
      if (typeof content === 'string') total += this.count(content);
      else if (Array.isArray(content)) {
        for (const part of content) {
          if (part.type === 'text' && typeof part.text === 'string') total += this.count(part.text);
          // Images are billed by tile; 765 tokens is a high-detail 1024x1024 image.
          else if (part.type === 'image_url') total += 765;
        }
      }
      if ('tool_calls' in message && message.tool_calls) total += this.count(JSON.stringify(message.tool_calls));
    }
    if (request.tools) total += this.count(JSON.stringify(request.tools));
    if (request.response_format?.type === 'json_schema') total += this.count(JSON.stringify(request.response_format.json_schema));
    return total;
  }

  countInputs(input: string | string[] | number[] | number[][]): number {
    if (typeof input === 'string') return this.count(input);
    let total = 0;
    for (const item of input) total += typeof item === 'string' ? this.count(item) : typeof item === 'number' ? 1 : item.length;
    return total;
  }
}
