import { BreakwaterError } from '../errors/breakwater-error.js';
import type { Gateway } from '../gateway/gateway.js';
import type { VirtualKey } from '../ports/store.js';
import { chatRequestSchema, type ChatCompletion } from '../../wire/chat.js';
import type { AnswerRequest, WireAnswer, WireCitation } from '../../wire/collections.js';
import type { CollectionService, SearchHit } from './collection-service.js';
import { queryTerms } from './query-terms.js';

/** The prompt's version: answers name it, so a change of wording shows in what clients stored. */
export const answerPromptVersion = 'retrieval-answer@1';

/** What the model says when the sources do not hold the answer; mapped to `refused: true`. */
export const notInSources = 'NOT_IN_SOURCES';

export const refusalText = 'The answer is not in the sources.';

/** The answer prompt's instructions (the sources follow them). */
export const answerInstructions = `You answer questions using only the numbered sources below. Every sentence of your answer cites the sources it relies on with their numbers in square brackets, like [1] or [2][3]. Do not use outside knowledge. If the sources do not contain the answer, reply with exactly ${notInSources} and nothing else.`;

/** Share of the question's content words a chunk must contain to be relevant: one word in three. */
export const defaultMinCoverage = 0.33;

/** Words compare by their first 5 letters, a crude stem that lets "descaled" meet "descale" and "descaling" in any of the languages. */
const stemLength = 5;

/**
 * Retrieve, then answer through the gateway with numbered sources, and map the `[n]` markers
 * back to chunk ids, documents and offsets. Refuses without calling the model when no
 * retrieved chunk is relevant (too few of the question's words: `relevantHits`), and when the
 * model answers NOT_IN_SOURCES.
 */
export class CitedAnswers {
  constructor(
    private readonly collections: CollectionService,
    private readonly gateway: Gateway,
  ) {}

  async answer(key: VirtualKey, name: string, request: AnswerRequest, context: { requestId: string; signal: AbortSignal }): Promise<WireAnswer> {
    this.gateway.resolve(request.model, key);
    const { collection, hits, rerank } = await this.collections.search(
      key,
      name,
      { query: request.query, k: request.k ?? 5, ...(request.filter ? { filter: request.filter } : {}), ...(request.rerank ? { rerank: request.rerank } : {}) },
      context,
    );
    const reranked = rerank ? { rerank } : {};
    const relevant = relevantHits(request.query, hits, request.min_coverage ?? defaultMinCoverage);
    const sources = relevant.map((hit, index) => citation(hit, index + 1));
    const empty = { model: request.model, prompt_version: answerPromptVersion, usage: null };
    if (sources.length === 0) return { object: 'collection.answer', answer: refusalText, refused: true, citations: [], sources: [], ...empty, ...reranked };

    const numbered = numberedSources(relevant);
    const chat = chatRequestSchema.safeParse({
      model: request.model,
      messages: [
        { role: 'system', content: `${answerInstructions}\n\nCollection: ${collection.name}` },
        { role: 'user', content: `Sources:\n\n${numbered}\n\nQuestion: ${request.query}` },
      ],
      ...(request.max_tokens === undefined ? {} : { max_tokens: request.max_tokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.response_format === undefined ? {} : { response_format: request.response_format }),
    });
    if (!chat.success) {
      throw new BreakwaterError('INVALID_REQUEST', `The answer request is not a valid chat request: ${chat.error.issues[0]?.message ?? 'invalid'}.`, { param: 'response_format' });
    }
    const { outcome } = await this.gateway.call({
      requestId: context.requestId,
      key,
      input: { operation: 'chat', request: chat.data },
      stream: false,
      cacheControl: { noStore: false, noCache: false },
      signal: context.signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'An answer call returned no completion.');
    const text = answerText(outcome.completion);
    const usage = outcome.completion.usage
      ? {
          prompt_tokens: outcome.completion.usage.prompt_tokens,
          completion_tokens: outcome.completion.usage.completion_tokens,
          total_tokens: outcome.completion.usage.total_tokens,
        }
      : null;
    if (text.trim() === notInSources || text.includes(notInSources)) {
      return {
        object: 'collection.answer',
        answer: refusalText,
        refused: true,
        citations: [],
        sources,
        model: request.model,
        prompt_version: answerPromptVersion,
        usage,
        ...reranked,
      };
    }
    const cited = citedIndexes(text);
    const parsed = request.response_format === undefined ? undefined : parseJson(text);
    return {
      object: 'collection.answer',
      answer: text,
      ...(parsed === undefined ? {} : { parsed }),
      refused: false,
      citations: sources.filter((source) => cited.has(source.index)),
      sources,
      model: request.model,
      prompt_version: answerPromptVersion,
      usage,
      ...reranked,
    };
  }
}

/**
 * Chunks that may hold the answer: those containing at least `minCoverage` of the question's
 * content words. Words, not vector similarity, because similarities mean different things per
 * embedder; a heuristic, measured by bench:retrieval's refusal figures.
 */
export function relevantHits(question: string, hits: readonly SearchHit[], minCoverage: number): SearchHit[] {
  const terms = queryTerms(question).map((term) => term.slice(0, stemLength));
  if (terms.length === 0) return [];
  return hits.filter((hit) => {
    const words = new Set(
      `${hit.heading ?? ''} ${hit.text}`
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word !== '')
        .map((word) => word.slice(0, stemLength)),
    );
    const covered = terms.filter((term) => words.has(term)).length / terms.length;
    return covered >= minCoverage;
  });
}

/** The sources as the prompt shows them: `[n] (document — heading)` then the chunk's text. */
export function numberedSources(hits: readonly SearchHit[]): string {
  return hits.map((hit, index) => `[${index + 1}] (${hit.document}${hit.heading ? ` — ${hit.heading}` : ''})\n${hit.text}`).join('\n\n');
}

/** The `[n]` markers of an answer. */
export function citedIndexes(text: string): Set<number> {
  return new Set([...text.matchAll(/\[(\d{1,3})\]/g)].map((match) => Number(match[1])));
}

export function citation(hit: SearchHit, index: number): WireCitation {
  return { index, chunk_id: hit.chunkId, document: hit.document, start: hit.start, end: hit.end, text: hit.text };
}

function answerText(completion: ChatCompletion): string {
  const content = completion.choices[0]?.message.content;
  return typeof content === 'string' ? content : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
