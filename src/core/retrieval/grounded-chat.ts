import { randomUUID } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { completionToChunks } from '../gateway/stream-assembly.js';
import type { VirtualKey } from '../ports/store.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../wire/chat.js';
import type { ChatRetrieval, WireChatRetrieval, WireCitation, WireRerank } from '../../wire/collections.js';
import { answerInstructions, answerPromptVersion, citation, citedIndexes, defaultMinCoverage, notInSources, numberedSources, refusalText, relevantHits } from './cited-answer.js';
import type { CollectionService } from './collection-service.js';

/** A chat request grounded in a collection: the request to send, or the refusal to answer with. */
export type Grounding =
  | { refused: false; body: ChatRequest; sources: WireCitation[]; collection: string; rerank?: WireRerank }
  | { refused: true; completion: ChatCompletion & { retrieval: WireChatRetrieval } };

/**
 * The `retrieval` option of chat completions: search the collection for the last user message
 * (or `query`), put the relevant chunks in front of the conversation as numbered sources with the
 * cited-answer instructions (`retrieval-answer@1`), and map the answer's `[n]` back to chunks.
 * Nothing relevant: a refusal completion without a model call. The call itself is an ordinary
 * chat call, so routing, budgets, cache, streaming and response_format apply unchanged.
 */
export class GroundedChat {
  constructor(private readonly collections: CollectionService) {}

  async ground(key: VirtualKey, body: ChatRequest, option: ChatRetrieval, context: { requestId: string; signal: AbortSignal }): Promise<Grounding> {
    const query = option.query ?? lastUserText(body);
    if (!query) {
      throw new BreakwaterError('INVALID_REQUEST', 'retrieval needs a query: end the messages with a user message that has text, or set retrieval.query.', {
        param: 'retrieval.query',
      });
    }
    const { hits, rerank } = await this.collections.search(
      key,
      option.collection,
      { query, k: option.k ?? 5, ...(option.filter ? { filter: option.filter } : {}), ...(option.rerank ? { rerank: option.rerank } : {}) },
      context,
    );
    const reranked = rerank ? { rerank } : {};
    const relevant = relevantHits(query, hits, option.min_coverage ?? defaultMinCoverage);
    if (relevant.length === 0) {
      const retrieval: WireChatRetrieval = { collection: option.collection, prompt_version: answerPromptVersion, refused: true, citations: [], sources: [], ...reranked };
      return { refused: true, completion: { ...refusalCompletion(body.model), retrieval } };
    }
    const sources = relevant.map((hit, index) => citation(hit, index + 1));
    const grounding = { role: 'system' as const, content: `${answerInstructions}\n\nCollection: ${option.collection}\n\nSources:\n\n${numberedSources(relevant)}` };
    return { refused: false, body: { ...body, messages: [grounding, ...body.messages] }, sources, collection: option.collection, ...reranked };
  }

  /** The model's answer with `retrieval` added; NOT_IN_SOURCES becomes the refusal text. */
  static finish(completion: ChatCompletion, grounding: Extract<Grounding, { refused: false }>): ChatCompletion & { retrieval: WireChatRetrieval } {
    const content = completion.choices[0]?.message.content;
    const text = typeof content === 'string' ? content : '';
    const refused = text.includes(notInSources);
    const cited = citedIndexes(text);
    const retrieval: WireChatRetrieval = {
      collection: grounding.collection,
      prompt_version: answerPromptVersion,
      refused,
      citations: refused ? [] : grounding.sources.filter((source) => cited.has(source.index)),
      sources: grounding.sources,
      ...(grounding.rerank ? { rerank: grounding.rerank } : {}),
    };
    if (!refused) return { ...completion, retrieval };
    const [first, ...rest] = completion.choices;
    return { ...completion, choices: first ? [{ ...first, message: { ...first.message, content: refusalText } }, ...rest] : [], retrieval };
  }

  static annotateRefusal = refusalChunks;

  /** A stream's first chunk carries `retrieval` (its sources; the markers arrive with the text). */
  static async *annotate(chunks: AsyncIterable<ChatCompletionChunk>, grounding: Extract<Grounding, { refused: false }>): AsyncGenerator<ChatCompletionChunk> {
    let first = true;
    for await (const chunk of chunks) {
      if (first) {
        first = false;
        const retrieval: WireChatRetrieval = {
          collection: grounding.collection,
          prompt_version: answerPromptVersion,
          refused: false,
          citations: [],
          sources: grounding.sources,
          ...(grounding.rerank ? { rerank: grounding.rerank } : {}),
        };
        yield { ...chunk, retrieval } as ChatCompletionChunk;
      } else yield chunk;
    }
  }
}

/** A refusal as a stream: its chunks, the first carrying `retrieval`. */
export async function* refusalChunks(completion: ChatCompletion & { retrieval: WireChatRetrieval }): AsyncGenerator<ChatCompletionChunk> {
  const { retrieval, ...plain } = completion;
  let first = true;
  for (const chunk of completionToChunks(plain)) {
    yield first ? ({ ...chunk, retrieval } as ChatCompletionChunk) : chunk;
    first = false;
  }
}

function lastUserText(body: ChatRequest): string | undefined {
  const message = [...body.messages].reverse().find((candidate) => candidate.role === 'user');
  if (!message) return undefined;
  const content = (message as { content: unknown }).content;
  if (typeof content === 'string') return content.trim() || undefined;
  if (!Array.isArray(content)) return undefined;
  const text = content
    .flatMap((part: { type?: string; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('\n')
    .trim();
  return text || undefined;
}

function refusalCompletion(model: string): ChatCompletion {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: refusalText }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  } as ChatCompletion;
}
