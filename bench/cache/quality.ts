import type { SemanticCache } from '../../src/core/semantic-cache/semantic-cache.js';
import type { ChatCompletion, ChatRequest } from '../../src/wire/chat.js';

/** Paraphrase groups and near-miss pairs, the dev set's or the blind set's. */
export interface QualitySet {
  groups: Array<{ locale?: string; question: string; paraphrases: readonly string[]; rewordings?: readonly string[] }>;
  pairs: Array<{ locale?: string; kind: string; cached: string; asked: string }>;
}

export interface Tally {
  paraphrases: number;
  hits: number;
  pairs: number;
  served: number;
}

/** One threshold's figures. */
export interface QualityRow {
  threshold: number;
  /** Paraphrases served their own question's answer, over all paraphrases. */
  hitRate: number;
  /** Paraphrases served another question's answer. */
  wrongAnswers: number;
  /** Near-misses served any cached answer. */
  nearMissesServed: number;
  /** Near-misses served over near-miss pairs: the share of users asking a near-miss who get a wrong answer. */
  nearMissRate: number;
  /** (near-misses served + wrong answers) over all lookups: bench:cache's historical figure. */
  falseHitRate: number;
  /** Near-misses whose similarity alone clears the threshold: what a cache without guards would serve. */
  thresholdOnly: number;
  byKind: Record<string, Tally>;
  byLocale: Record<string, Tally>;
  /** Paraphrases by kind of rewording (light, medium, full, context), where the set tags them. */
  byRewording: Record<string, Tally>;
}

const tenant = 'bench';
const alias = 'support-bot';
export const benchRequest = (text: string): ChatRequest => ({
  model: alias,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: text },
  ],
});
/** A cached answer whose content names the question it answers, so a lookup's hit is checkable. */
export const benchAnswer = (id: string): ChatCompletion => ({
  id: `chatcmpl-${id}`,
  object: 'chat.completion',
  created: 0,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: id }, finish_reason: 'stop' }],
});

/**
 * Caches every group's question and every pair's cached text in one scope, then looks up every
 * paraphrase and every near-miss at each threshold. A text cached twice (the same characters)
 * is one entry; a near-miss that is itself a cached text may be served that text's answer.
 * `explain`, when given, hears each wrong answer at `explainAt` (dev set only: the blind set's
 * mistakes are never shown).
 */
export async function evaluateQuality(
  set: QualitySet,
  cache: SemanticCache,
  thresholds: readonly number[],
  similarity: (a: string, b: string) => number,
  explain?: { at: number; report(line: string): void },
): Promise<QualityRow[]> {
  const answerOf = new Map<string, string>();
  const cacheText = async (text: string) => {
    const key = text.trim();
    if (answerOf.has(key)) return;
    answerOf.set(key, `a${answerOf.size}`);
    await cache.store(benchRequest(text), tenant, alias, benchAnswer(answerOf.get(key)!), 3_600_000);
  };
  for (const group of set.groups) await cacheText(group.question);
  for (const pair of set.pairs) await cacheText(pair.cached);
  const pairSimilarities = set.pairs.map((pair) => similarity(pair.cached, pair.asked));

  const served = async (text: string, threshold: number) => (await cache.lookup(benchRequest(text), tenant, alias, threshold))?.completion.choices[0]?.message.content ?? undefined;
  const rows: QualityRow[] = [];
  for (const threshold of thresholds) {
    const byKind: Record<string, Tally> = {};
    const byLocale: Record<string, Tally> = {};
    const byRewording: Record<string, Tally> = {};
    const tally = (table: Record<string, Tally>, key: string) => (table[key] ??= { paraphrases: 0, hits: 0, pairs: 0, served: 0 });
    let hits = 0;
    let paraphrases = 0;
    let wrongAnswers = 0;
    for (const group of set.groups) {
      const own = answerOf.get(group.question.trim());
      for (const [index, paraphrase] of group.paraphrases.entries()) {
        paraphrases++;
        const locale = tally(byLocale, group.locale ?? 'all');
        locale.paraphrases++;
        const rewording = group.rewordings?.[index] === undefined ? undefined : tally(byRewording, group.rewordings[index]!);
        if (rewording) rewording.paraphrases++;
        const got = await served(paraphrase, threshold);
        if (got === undefined) {
          if (explain?.at === threshold && rewording) explain.report(`missed (${group.rewordings![index]}): ${group.question}  →  ${paraphrase}`);
          continue;
        }
        if (got === own || got === answerOf.get(paraphrase.trim())) {
          hits++;
          locale.hits++;
          if (rewording) rewording.hits++;
        } else {
          if (rewording) rewording.served++;
          wrongAnswers++;
          locale.served++;
          if (explain?.at === threshold) explain.report(`${paraphrase}  → the answer of another question`);
        }
      }
    }
    let nearMissesServed = 0;
    for (const pair of set.pairs) {
      const kind = tally(byKind, pair.kind);
      const locale = tally(byLocale, pair.locale ?? 'all');
      kind.pairs++;
      locale.pairs++;
      const got = await served(pair.asked, threshold);
      if (got === undefined || got === answerOf.get(pair.asked.trim())) continue;
      nearMissesServed++;
      kind.served++;
      locale.served++;
      if (explain?.at === threshold) explain.report(`${pair.cached}  ≈  ${pair.asked}  (${pair.kind})`);
    }
    rows.push({
      threshold,
      hitRate: hits / Math.max(1, paraphrases),
      wrongAnswers,
      nearMissesServed,
      nearMissRate: nearMissesServed / Math.max(1, set.pairs.length),
      falseHitRate: (nearMissesServed + wrongAnswers) / Math.max(1, set.pairs.length + paraphrases),
      thresholdOnly: pairSimilarities.filter((value) => value >= threshold).length / Math.max(1, set.pairs.length),
      byKind,
      byLocale,
      byRewording,
    });
  }
  return rows;
}
