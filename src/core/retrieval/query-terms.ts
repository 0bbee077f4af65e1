import { stopwords } from '../semantic-cache/stopwords.js';

/** Most distinct words a text search looks for: a pasted page as a query must not become a 10,000-term OR. */
export const maxQueryTerms = 32;

/**
 * The words a full-text search looks for: letters and digits only (so nothing reaches a
 * query language as syntax), lower-cased, function words of the seven languages the
 * stop list knows dropped unless nothing else is left, duplicates removed, at most
 * `maxQueryTerms`. Linear in the query.
 */
export function queryTerms(query: string): string[] {
  const words = query
    .slice(0, 4_096)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  const content = words.filter((word) => !stopwords.has(fold(word)) && (word.length > 1 || /\p{N}/u.test(word)));
  return [...new Set(content.length > 0 ? content : words)].slice(0, maxQueryTerms);
}

/** Accents off, as the stop list is written (and as the full-text indexes compare). */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}+/gu, '');
}
