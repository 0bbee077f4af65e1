import type { VectorMatch } from '../../../core/ports/vector-index.js';

/** The k best (label, similarity) pairs seen, kept sorted best first; k is small (a handful). */
export class TopK {
  private readonly matches: VectorMatch[] = [];

  constructor(private readonly k: number) {}

  offer(label: number, similarity: number): void {
    const { matches, k } = this;
    if (k <= 0) return;
    if (matches.length === k && similarity <= matches[k - 1]!.similarity) return;
    let at = matches.length < k ? matches.length : k - 1;
    while (at > 0 && matches[at - 1]!.similarity < similarity) at--;
    matches.splice(at, 0, { label, similarity });
    if (matches.length > k) matches.pop();
  }

  sorted(): VectorMatch[] {
    return this.matches;
  }
}
