import type { Gateway } from '../gateway/gateway.js';
import type { VirtualKey } from '../ports/store.js';
import { chatRequestSchema } from '../../wire/chat.js';
import type { SearchHit } from './reciprocal-rank.js';

/** The scoring prompt's version: search results name it, so a change of wording shows. */
export const rerankPromptVersion = 'retrieval-rerank@1';

/** Candidates sent to the model at most, whatever is asked: the prompt stays bounded. */
export const maxRerankCandidates = 30;
/** Characters of each candidate the model sees (about 250 tokens). */
export const rerankPassageChars = 1_000;
/** Candidates sent when the request does not say: the fused list's head. */
export const defaultRerankCandidates = 20;

export const rerankInstructions = `You judge how well each numbered passage answers the query. Reply with one line per passage, in the form "<number>: <score>", where score is an integer from 0 (unrelated) to 10 (answers the query directly). Reply with nothing else.`;

export interface RerankOutcome {
  hits: SearchHit[];
  /** What the search reports: the model, whether its order was used, and why not. */
  report: { model: string; prompt_version: string; applied: boolean; candidates: number; reason?: string };
}

/**
 * Reorders fused candidates by a chat model's relevance scores, asked through the gateway as
 * the searching key (routing, budgets, rate limits and the ledger apply). At most
 * `maxRerankCandidates` passages of at most `rerankPassageChars` characters are sent, and the
 * reply is capped at a few tokens per passage. A failed call (budget, upstream, timeout) or a
 * reply without one usable score keeps the fused order, and says so. Passages the model did not
 * score follow the scored ones in their fused order; equal scores keep the fused order.
 */
export async function rerank(
  gateway: Gateway,
  key: VirtualKey,
  query: string,
  fused: readonly SearchHit[],
  model: string,
  context: { requestId: string; signal: AbortSignal },
): Promise<RerankOutcome> {
  const candidates = fused.slice(0, maxRerankCandidates);
  const report = { model, prompt_version: rerankPromptVersion, candidates: candidates.length };
  if (candidates.length < 2) return { hits: [...fused], report: { ...report, applied: true } };
  const passages = candidates.map((hit, index) => `[${index + 1}] ${`${hit.heading ? `${hit.heading}\n` : ''}${hit.text}`.slice(0, rerankPassageChars)}`).join('\n\n');
  const request = chatRequestSchema.parse({
    model,
    messages: [
      { role: 'system', content: rerankInstructions },
      { role: 'user', content: `Query: ${query}\n\nPassages:\n\n${passages}` },
    ],
    temperature: 0,
    max_tokens: 8 * candidates.length + 16,
  });
  let text: string;
  try {
    const { outcome } = await gateway.call({
      requestId: context.requestId,
      key,
      input: { operation: 'chat', request },
      stream: false,
      cacheControl: { noStore: false, noCache: false },
      signal: context.signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'completion') throw new Error('the rerank call returned no completion');
    const content = outcome.completion.choices[0]?.message.content;
    text = typeof content === 'string' ? content : '';
  } catch (error) {
    // The client leaving is not a rerank failure to paper over.
    if (context.signal.aborted) throw error;
    return { hits: [...fused], report: { ...report, applied: false, reason: `the rerank call failed: ${(error as Error).message}` } };
  }
  const scores = parseScores(text, candidates.length);
  if (scores.size === 0) return { hits: [...fused], report: { ...report, applied: false, reason: 'the rerank reply held no "<number>: <score>" line' } };
  const order = candidates
    .map((hit, index) => ({ hit, index, score: scores.get(index + 1) }))
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.index - b.index)
    .map((entry) => entry.hit);
  return { hits: [...order, ...fused.slice(candidates.length)], report: { ...report, applied: true } };
}

/** `<number>: <score>` lines (also `[n] = s`, `n - s`) for passages 1…count; the first score of a passage counts. */
export function parseScores(text: string, count: number): Map<number, number> {
  const scores = new Map<number, number>();
  for (const match of text.matchAll(/^\s*\[?(\d{1,3})\]?\s*[:=\-–]\s*(\d{1,2}(?:\.\d+)?)/gm)) {
    const passage = Number(match[1]);
    const score = Number(match[2]);
    if (passage >= 1 && passage <= count && !scores.has(passage) && Number.isFinite(score)) scores.set(passage, score);
  }
  return scores;
}
