/**
 * Turns texts into vectors for similarity search. Vectors come back L2-normalised, so the dot
 * product of two of them is their cosine similarity. `id` names the model and its settings:
 * vectors of two embedders with different ids are not comparable, so stored vectors are
 * thrown away when it changes.
 */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
