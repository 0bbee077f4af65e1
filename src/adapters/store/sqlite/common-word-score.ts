/** FTS5's BM25 constants (fts5_aux.c). */
const k1 = 1.2;
const b = 0.75;
/** The column weights the text index ranks with: heading, text. */
const headingWeight = 0.5;
const textWeight = 1;

interface CandidateText {
  label: number;
  heading: string | null;
  text: string;
}

/**
 * The BM25 terms of a query's common words, for the candidates the rare words found. BM25 is a
 * sum over words, so FTS5's score over the rare words plus this one is the score FTS5 would
 * give the whole query, with one approximation: the average chunk length is the candidates'
 * own, not the collection's. The formula and constants are FTS5's (idf = ln((N − n + ½)/(n + ½)),
 * at least 1e-6). Linear in the candidates' text.
 */
export class CommonWordScore {
  private readonly scores = new Map<number, number>();

  constructor(words: ReadonlyArray<{ word: string; documents: number }>, rows: number, candidates: readonly CandidateText[]) {
    const idf = new Map(words.map(({ word, documents }) => [word, Math.max(1e-6, Math.log((rows - documents + 0.5) / (documents + 0.5)))]));
    const counted = candidates.map((candidate) => {
      const heading = tokens(candidate.heading ?? '');
      const text = tokens(candidate.text);
      const frequency = new Map<string, number>();
      for (const token of heading) if (idf.has(token)) frequency.set(token, (frequency.get(token) ?? 0) + headingWeight);
      for (const token of text) if (idf.has(token)) frequency.set(token, (frequency.get(token) ?? 0) + textWeight);
      return { label: candidate.label, length: heading.length + text.length + 1, frequency };
    });
    const averageLength = counted.reduce((sum, candidate) => sum + candidate.length, 0) / Math.max(1, counted.length);
    for (const { label, length, frequency } of counted) {
      let score = 0;
      for (const [word, count] of frequency) score += (idf.get(word)! * (count * (k1 + 1))) / (count + k1 * (1 - b + (b * length) / averageLength));
      this.scores.set(label, score);
    }
  }

  of(label: number): number {
    return this.scores.get(label) ?? 0;
  }
}

/** Words as the index's unicode61 tokenizer (remove_diacritics 2) cuts them: lower case, accents off. */
function tokens(text: string): string[] {
  const lower = text.toLowerCase();
  // Decomposing is most of the cost and plain ASCII has nothing to take off.
  const folded = /[^\p{ASCII}]/u.test(lower) ? lower.normalize('NFD').replace(/\p{M}+/gu, '') : lower;
  return folded.split(/[^\p{L}\p{N}]+/u).filter((token) => token !== '');
}
