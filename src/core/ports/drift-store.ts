/**
 * What the drift recorder saw of one series (alias, prompt version, pipeline) in one minute on
 * one node: quality counts and the sum of the inputs' embeddings (their centroid's numerator).
 */
export interface DriftObservation {
  /** Start of the minute, epoch ms. */
  at: number;
  alias: string;
  promptName: string | null;
  promptVersion: number | null;
  pipeline: string | null;
  /** Answered chat calls (cache hits left out). */
  requests: number;
  /** Calls that asked for JSON (`response_format`), and those whose answer did not parse or meet the schema. */
  schemaChecked: number;
  schemaFailures: number;
  /** Pipeline re-asks after an answer failed validation. */
  repairs: number;
  /** Answers that refused (a `refusal`, a content filter stop, or a refusal sentence). */
  refusals: number;
  /** Inputs embedded (sampled, bounded per second) and the sum of their unit vectors. */
  embedded: number;
  embeddingSum: Float32Array | null;
  /** The embedder's id: sums of different embedders are never mixed. */
  embedder: string;
}

/** Drift observations, written by every node in batches (the store's drift domain). */
export interface DriftStore {
  append(observations: readonly DriftObservation[]): Promise<void>;
  /** Observations whose minute starts in [from, to). */
  window(from: number, to: number): Promise<DriftObservation[]>;
  deleteBefore(at: number): Promise<number>;
}
