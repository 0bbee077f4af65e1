/**
 * Words, word pairs and word stems of a text, hashed into a fixed number of buckets: the
 * wording the learned scorer reads beside the named features. Hashing keeps the model a
 * fixed size whatever the vocabulary and keeps stored vectors free of prompt text.
 */
export const ngramBuckets = 1 << 14;

/** Words read per text: the scorer's cost stays bounded on a pasted document. */
const maxWords = 4_096;

/** Sorted distinct bucket numbers of the text's unigrams, bigrams and 5-letter stems. */
export function hashedNgrams(text: string): number[] {
  const buckets = new Set<number>();
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const count = Math.min(words.length, maxWords);
  // A long task keeps its first and last words: the ask sits at either end.
  const picked = words.length <= maxWords ? words : [...words.slice(0, maxWords / 2), ...words.slice(-maxWords / 2)];
  let previous = '';
  for (let index = 0; index < count; index++) {
    const current = picked[index]!;
    buckets.add(bucketOf(`w:${current}`));
    // A stem lets "contract", "contrato" and "contracts" share a bucket across languages and forms.
    if (current.length > 5) buckets.add(bucketOf(`s:${current.slice(0, 5)}`));
    if (previous) buckets.add(bucketOf(`b:${previous} ${current}`));
    previous = current;
  }
  return [...buckets].sort((a, b) => a - b);
}

/** FNV-1a over UTF-16 code units: stable across processes and versions, unlike a seeded hash. */
function bucketOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < token.length; index++) {
    hash ^= token.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ngramBuckets;
}
