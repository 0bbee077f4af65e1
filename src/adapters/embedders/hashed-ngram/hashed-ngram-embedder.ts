import { toUnitLength } from '../unit-length.js';
import type { Embedder } from '../../../core/ports/embedder.js';
import { defaultSimilarityThreshold } from '../../../core/semantic-cache/semantic-cache.js';
import { stopwords } from '../../../core/semantic-cache/stopwords.js';

export interface HashedNgramEmbedderOptions {
  /** Buckets of the feature hash (default 256): fewer collide more, more cost memory and search time. */
  dimension?: number;
}

const wordWeight = 1;
const functionWordWeight = 0.3;
const bigramWeight = 0.5;
/** Total weight of a word's character n-grams relative to the word itself. */
const characterWeight = 1.2;

/**
 * Embeds without a model: signed feature hashing (FNV-1a) of word unigrams, word bigrams and
 * character 3–5-grams, function words weighted down, then L2-normalised. Deterministic,
 * language-agnostic, microseconds per prompt. It sees spelling, not meaning: paraphrases that
 * keep the key words meet, synonyms do not — which is why the semantic cache checks anchors.
 */
export class HashedNgramEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  /** It sees spelling: a question and its translation share few n-grams, and a shared name or number would make them look alike. */
  readonly multilingual = false;
  readonly spellingOnly = true;
  readonly defaultThreshold = defaultSimilarityThreshold;

  constructor(options: HashedNgramEmbedderOptions = {}) {
    this.dimension = options.dimension ?? 256;
    this.id = `hashed-ngram-v2/${this.dimension}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimension);
    const words = text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== '');
    let previous: string | undefined;
    for (const word of words) {
      const weight = stopwords.has(word) ? functionWordWeight : wordWeight;
      this.add(vector, hash(0x9e37, word, 0, word.length), weight);
      if (previous !== undefined)
        this.add(
          vector,
          hash(hash(0x85eb, previous, 0, previous.length), word, 0, word.length),
          bigramWeight * Math.min(weight, stopwords.has(previous) ? functionWordWeight : wordWeight),
        );
      previous = word;
      const padded = ` ${word} `;
      let grams = 0;
      for (let size = 3; size <= 5; size++) grams += Math.max(0, padded.length - size + 1);
      const gramWeight = (weight * characterWeight) / Math.sqrt(Math.max(1, grams));
      for (let size = 3; size <= 5; size++) {
        for (let start = 0; start + size <= padded.length; start++) this.add(vector, hash(0xc2b2 + size, padded, start, start + size), gramWeight);
      }
    }
    return toUnitLength(vector);
  }

  /** The bucket comes from the low bits, the sign from the top bit, so collisions cancel out on average. */
  private add(vector: Float32Array, featureHash: number, weight: number): void {
    const bucket = featureHash % this.dimension;
    vector[bucket]! += featureHash & 0x8000_0000 ? -weight : weight;
  }
}

/** FNV-1a over UTF-16 code units of text[start, end), seeded, with a final avalanche. */
function hash(seed: number, text: string, start: number, end: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
