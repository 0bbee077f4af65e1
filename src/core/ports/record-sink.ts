/**
 * Where a pipeline's validated record goes. Every sink is idempotent on `jobId`: a job that
 * is delivered twice (a redelivered message, a worker killed after writing) writes once.
 */
export interface RecordProvenance {
  jobId: string;
  tenant: string;
  pipeline: string;
  promptVersion: number;
  model: string;
  deployment: string | null;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Source document name, when the job had one. */
  source: string | null;
  createdAt: number;
}

export interface SinkWrite {
  /** The record; it has already been validated against `schema`. */
  record: Record<string, unknown>;
  provenance: RecordProvenance;
  /** The pipeline's JSON Schema (object at the top level), for sinks that map it to columns. */
  schema: Record<string, unknown>;
}

export interface RecordSink {
  readonly kind: string;
  /** Writes the record once per job id. Returns false when this job's record was already there. */
  write(write: SinkWrite): Promise<boolean>;
  close?(): Promise<void>;
}
