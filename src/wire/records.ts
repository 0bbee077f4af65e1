/** A validated pipeline record as GET /v1/pipelines/:name/records returns it and `record.created` webhooks carry it. Times are Unix seconds. */
export interface WireRecord {
  id: string;
  object: 'record';
  pipeline: string;
  /** The record, valid against the pipeline's JSON Schema. */
  data: Record<string, unknown>;
  /** What made it: the job, the prompt version and model, and what extraction took and cost. */
  provenance: {
    job_id: string;
    prompt_version: number;
    model: string;
    deployment: string | null;
    attempts: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
    source: string | null;
  };
  created_at: number;
}
