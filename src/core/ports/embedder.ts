/**
 * Turns texts into vectors for similarity search. Vectors come back L2-normalised, so the dot
 * product of two of them is their cosine similarity. `id` names the model and its settings:
 * vectors of two embedders with different ids are not comparable, so stored vectors are
 * thrown away when it changes.
 */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  /**
   * True when the model places a question and its translation close together. The semantic
   * cache never serves an answer across languages unless its embedder says so.
   */
  readonly multilingual?: boolean;
  /**
   * True when it sees spelling, not meaning (the built-in hashed n-grams): the semantic cache
   * then embeds only a question's content words, whose function words would otherwise weigh as
   * much as its subject. A model gets the whole normalised question, which it reads as a whole.
   */
  readonly spellingOnly?: boolean;
  /** The cosine similarity a semantic-cache hit needs with this embedder, calibrated by bench:cache, unless configured. */
  readonly defaultThreshold?: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
