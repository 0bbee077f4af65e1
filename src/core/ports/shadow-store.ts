/** One candidate run beside a primary call, as stored (the store's shadow domain). */
export interface ShadowSample {
  shadow: string;
  tenant: string;
  requestId: string;
  at: number;
  /** `compared`: both answered; `candidate-error`: the candidate failed or timed out (the caller never knew). */
  outcome: 'compared' | 'candidate-error';
  /** Per-field agreement (structured answers); null for text or errors. */
  fields: Record<string, boolean> | null;
  /** Text answers: cosine similarity and candidate/primary length ratio. */
  similarity: number | null;
  lengthRatio: number | null;
  primaryLatencyMs: number;
  candidateLatencyMs: number | null;
  primaryCostUsd: number;
  candidateCostUsd: number | null;
  /** On a disagreement: both answers with personal data masked, cut to a few KB; else null. */
  example: { primary: string; candidate: string } | null;
  /** On a candidate error: its code. */
  errorCode: string | null;
}

/** Where shadow samples are kept for the report; rows, never prompts. */
export interface ShadowStore {
  /** Stores samples in one write (runners buffer them: a write per sample cost the caller's p99 in bench:shadow). */
  append(samples: readonly ShadowSample[]): Promise<void>;
  /** The newest `limit` samples of a shadow (all tenants: the report is an operator's), newest first. */
  recent(shadow: string, limit: number): Promise<ShadowSample[]>;
  deleteBefore(at: number): Promise<number>;
}
